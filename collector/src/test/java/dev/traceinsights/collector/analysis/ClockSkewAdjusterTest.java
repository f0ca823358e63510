package dev.traceinsights.collector.analysis;

import static dev.traceinsights.collector.TestSpans.EPOCH_NANOS;
import static dev.traceinsights.collector.TestSpans.span;
import static dev.traceinsights.collector.TestSpans.spanId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Hand-drawn timelines: times in ms; the backend's clock runs ahead or behind the frontend's. */
class ClockSkewAdjusterTest {

  private static final long MS = 1_000_000;

  private static long start(SpanData span) {
    return (span.getStartEpochNanos() - EPOCH_NANOS) / MS;
  }

  private static long end(SpanData span) {
    return (span.getEndEpochNanos() - EPOCH_NANOS) / MS;
  }

  @Test
  void serverInsideItsClient_isLeftAlone() {
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 100),
            span(1, 2, 1, "frontend", "GET", SpanKind.CLIENT, 10, 90),
            span(1, 3, 2, "backend", "GET /inventory", SpanKind.SERVER, 20, 80));

    ClockSkewAdjuster.Adjusted adjusted = ClockSkewAdjuster.adjust(spans);

    assertThat(adjusted.spans()).isSameAs(spans);
    assertThat(adjusted.shiftNanosBySpanId()).isEmpty();
  }

  @Test
  void serverAheadOfItsClient_isCentredInIt_withItsOwnChildren() {
    // Client 10..90 (80 ms); the backend's clock is 500 ms ahead: server 520..580 (60 ms), its
    // query 530..570. Centred: (80 - 60) / 2 = 10 ms of network each way, so the server moves to
    // 20..80 (shift -500 ms) and its query with it to 30..70.
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 100),
            span(1, 2, 1, "frontend", "GET", SpanKind.CLIENT, 10, 90),
            span(1, 3, 2, "backend", "GET /inventory", SpanKind.SERVER, 520, 580),
            span(1, 4, 3, "backend", "SELECT", SpanKind.CLIENT, 530, 570));

    ClockSkewAdjuster.Adjusted adjusted = ClockSkewAdjuster.adjust(spans);

    assertThat(start(adjusted.spans().get(2))).isEqualTo(20);
    assertThat(end(adjusted.spans().get(2))).isEqualTo(80);
    assertThat(start(adjusted.spans().get(3))).isEqualTo(30);
    assertThat(end(adjusted.spans().get(3))).isEqualTo(70);
    assertThat(adjusted.shiftNanosBySpanId())
        .containsEntry(spanId(3), -500 * MS)
        .containsEntry(spanId(4), -500 * MS)
        .hasSize(2);
    assertThat(adjusted.spans().get(0)).isSameAs(spans.get(0));
  }

  @Test
  void serverLongerThanItsClient_isAlignedWithItsStart() {
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "frontend", "GET", SpanKind.CLIENT, 100, 150),
            span(1, 2, 1, "backend", "GET /x", SpanKind.SERVER, 0, 70));

    ClockSkewAdjuster.Adjusted adjusted = ClockSkewAdjuster.adjust(spans);

    assertThat(start(adjusted.spans().get(1))).isEqualTo(100);
    assertThat(adjusted.shiftNanosBySpanId()).containsEntry(spanId(2), 100 * MS);
  }

  @Test
  void consumerAfterItsProducerEnded_isRight_notSkew() {
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "orders", "orders publish", SpanKind.PRODUCER, 0, 5),
            span(1, 2, 1, "billing", "orders process", SpanKind.CONSUMER, 200, 260));

    assertThat(ClockSkewAdjuster.adjust(spans).shiftNanosBySpanId()).isEmpty();
  }

  @Test
  void consumerBeforeItsProducer_startsWithIt() {
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "orders", "orders publish", SpanKind.PRODUCER, 100, 105),
            span(1, 2, 1, "billing", "orders process", SpanKind.CONSUMER, 40, 60));

    assertThat(ClockSkewAdjuster.adjust(spans).shiftNanosBySpanId())
        .containsEntry(spanId(2), 60 * MS);
  }

  @Test
  void sameProcess_neverShifted_evenWhenOutsideItsParent() {
    // An async child in the same service may outlive its parent: that is not skew.
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 10),
            span(1, 2, 1, "frontend", "async work", SpanKind.INTERNAL, 5, 400));

    assertThat(ClockSkewAdjuster.adjust(spans).shiftNanosBySpanId()).isEmpty();
  }

  @Test
  void skewDoesNotInventACriticalPath() {
    // Backend clock 1 s behind: unadjusted, its server span (and the slow query) would lie before
    // the frontend's request, outside the critical path; adjusted, the query is the bottleneck.
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "frontend", "GET /shop/report", SpanKind.SERVER, 1000, 1320),
            span(1, 2, 1, "frontend", "GET", SpanKind.CLIENT, 1005, 1315),
            span(1, 3, 2, "backend", "GET /inventory/report", SpanKind.SERVER, 8, 308),
            span(1, 4, 3, "backend", "SELECT warehouse", SpanKind.CLIENT, 6 + 3, 306));

    TraceAnalysis analysis =
        TraceAnalyzer.create().analyze(ClockSkewAdjuster.adjust(spans).spans());

    assertThat(analysis.bottlenecks().get(0).spanId()).isEqualTo(spanId(4));
  }

  @Property(tries = 200)
  void adjustedServerAlwaysLiesWithinItsClient_whenItFits(
      @ForAll @LongRange(min = -10_000, max = 10_000) long skewMillis,
      @ForAll @LongRange(min = 1, max = 500) long serverMillis,
      @ForAll @LongRange(min = 0, max = 500) long slackMillis) {
    long clientStart = 1_000;
    long clientEnd = clientStart + serverMillis + slackMillis;
    long serverStart = clientStart + skewMillis;
    List<SpanData> spans =
        List.of(
            span(1, 1, 0, "frontend", "GET", SpanKind.CLIENT, clientStart, clientEnd),
            span(
                1,
                2,
                1,
                "backend",
                "GET /x",
                SpanKind.SERVER,
                serverStart,
                serverStart + serverMillis));

    SpanData server = ClockSkewAdjuster.adjust(spans).spans().get(1);

    assertThat(start(server)).isBetween(clientStart, clientEnd);
    assertThat(end(server)).isBetween(clientStart, clientEnd);
    assertThat(end(server) - start(server)).isEqualTo(serverMillis);
  }
}
