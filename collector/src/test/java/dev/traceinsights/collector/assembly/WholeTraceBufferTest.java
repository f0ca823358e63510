package dev.traceinsights.collector.assembly;

import static dev.traceinsights.collector.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.collector.TestSpans;
import dev.traceinsights.collector.receiver.Admission;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WholeTraceBufferTest {

  private static final long MS = 1_000_000;

  private static BufferLimits limits(int maxTraces, int maxSpansPerTrace, long maxBytes) {
    return new BufferLimits(
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(10),
        maxTraces,
        maxSpansPerTrace,
        maxBytes,
        100);
  }

  private final WholeTraceBuffer buffer = new WholeTraceBuffer(limits(100, 1000, 1 << 24));

  private static SpanData frontendRoot(int trace) {
    return span(trace, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 100);
  }

  private static SpanData frontendClient(int trace) {
    return span(trace, 2, 1, "frontend", "GET", SpanKind.CLIENT, 10, 90);
  }

  private static SpanData backendServer(int trace) {
    return span(trace, 3, 2, "backend", "GET /inventory", SpanKind.SERVER, 12, 88);
  }

  @Test
  void completeTrace_handedOnAfterTheQuietPeriod_notBefore() {
    buffer.add(List.of(frontendRoot(1), frontendClient(1)), 0);
    buffer.add(List.of(backendServer(1)), 50 * MS);

    assertThat(buffer.takeDue(149 * MS)).isEmpty();
    List<ReadyTrace> due = buffer.takeDue(150 * MS);

    assertThat(due)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.completion()).isEqualTo(Completion.COMPLETE);
              assertThat(t.spans()).hasSize(3);
            });
    assertThat(buffer.bufferedSpans()).isZero();
    assertThat(buffer.bufferedBytes()).isZero();
  }

  @Test
  void missingParent_waitsForItThenForTheTimeout() {
    // The backend's server span arrived, the frontend's client span (its parent) did not.
    buffer.add(List.of(frontendRoot(1), backendServer(1)), 0);

    assertThat(buffer.takeDue(5_000 * MS)).isEmpty();
    List<ReadyTrace> due = buffer.takeDue(10_000 * MS);

    assertThat(due)
        .singleElement()
        .satisfies(t -> assertThat(t.completion()).isEqualTo(Completion.TIMEOUT));
  }

  @Test
  void entryFromAnUntracedCaller_completeAfterTheUpstreamWait() {
    // The frontend's server span names a caller (a browser's traceparent) that sends no spans.
    SpanData entered = span(1, 1, 99, "frontend", "GET /shop", SpanKind.SERVER, 0, 100);
    buffer.add(List.of(entered, frontendClient(1), backendServer(1)), 0);

    assertThat(buffer.takeDue(100 * MS)).isEmpty();
    assertThat(buffer.nanosUntilNextDue(100 * MS)).isEqualTo(400 * MS);
    assertThat(buffer.takeDue(499 * MS)).isEmpty();
    assertThat(buffer.takeDue(500 * MS))
        .singleElement()
        .satisfies(t -> assertThat(t.completion()).isEqualTo(Completion.COMPLETE));
  }

  @Test
  void serviceWhoseCallerHasNotReportedYet_looksEntered_soWaitsTheLongerTime_thenCompletes() {
    // The backend's part arrives first; the frontend's spans (its caller) 300 ms later.
    buffer.add(List.of(backendServer(1)), 0);
    assertThat(buffer.takeDue(299 * MS)).isEmpty();

    buffer.add(List.of(frontendRoot(1), frontendClient(1)), 300 * MS);

    assertThat(buffer.takeDue(400 * MS))
        .singleElement()
        .satisfies(t -> assertThat(t.spans()).hasSize(3));
  }

  @Test
  void twoSpansMissingTheirParents_isNotComplete() {
    SpanData entered = span(1, 1, 99, "frontend", "GET /shop", SpanKind.SERVER, 0, 100);
    // The backend's server span's parent (the frontend's client span) is missing too.
    buffer.add(List.of(entered, backendServer(1)), 0);

    assertThat(buffer.takeDue(5_000 * MS)).isEmpty();
  }

  @Test
  void missingRoot_isNotComplete() {
    buffer.add(List.of(frontendClient(1), backendServer(1)), 0);

    assertThat(buffer.takeDue(1_000 * MS)).isEmpty();
    assertThat(buffer.bufferedTraces()).isEqualTo(1);
  }

  @Test
  void parentArrivingLate_completesTheTraceAQuietPeriodAfterIt() {
    buffer.add(List.of(frontendRoot(1), backendServer(1)), 0);
    assertThat(buffer.takeDue(500 * MS)).isEmpty();

    buffer.add(List.of(frontendClient(1)), 600 * MS);

    assertThat(buffer.takeDue(699 * MS)).isEmpty();
    assertThat(buffer.takeDue(700 * MS))
        .singleElement()
        .satisfies(t -> assertThat(t.completion()).isEqualTo(Completion.COMPLETE));
  }

  @Test
  void spansAfterTheHandOn_areLate() {
    buffer.add(List.of(frontendRoot(1)), 0);
    assertThat(buffer.takeDue(100 * MS)).hasSize(1);

    buffer.add(List.of(frontendClient(1), frontendRoot(2)), 200 * MS);

    assertThat(buffer.takeLate())
        .extracting(SpanData::getSpanId)
        .containsExactly(TestSpans.spanId(2));
    assertThat(buffer.takeLate()).isEmpty();
    assertThat(buffer.bufferedTraces()).isEqualTo(1);
  }

  @Test
  void duplicateSpan_keptOnceAndCounted() {
    buffer.add(List.of(frontendRoot(1), frontendClient(1)), 0);
    buffer.add(List.of(frontendClient(1)), 10 * MS);

    assertThat(buffer.bufferedSpans()).isEqualTo(2);
    assertThat(buffer.duplicateSpans()).isEqualTo(1);
  }

  @Test
  void spanLimit_handsTheTraceOnAtOnce() {
    WholeTraceBuffer small = new WholeTraceBuffer(limits(100, 2, 1 << 24));
    small.add(List.of(frontendRoot(1), frontendClient(1)), 0);

    assertThat(small.takeDue(0))
        .singleElement()
        .satisfies(t -> assertThat(t.completion()).isEqualTo(Completion.SPAN_LIMIT));
    small.add(List.of(backendServer(1)), 1);
    assertThat(small.takeLate()).hasSize(1);
  }

  @Test
  void byteLimit_refusesTheWholeRequest_andTakesItOnceThereIsRoom() {
    WholeTraceBuffer small = new WholeTraceBuffer(limits(100, 1000, 1200));
    assertThat(small.add(List.of(frontendRoot(1), frontendClient(1)), 0).accepted()).isTrue();

    Admission refused = small.add(List.of(frontendRoot(2), frontendClient(2), backendServer(2)), 0);

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.retryAfter()).isPositive();
    assertThat(small.bufferedTraces()).isEqualTo(1);
    assertThat(small.refusedRequests()).isEqualTo(1);
    small.takeDue(10_000 * MS);
    assertThat(small.add(List.of(frontendRoot(2), frontendClient(2)), 10_000 * MS).accepted())
        .isTrue();
  }

  @Test
  void traceLimit_refusesNewTraces_butTakesSpansOfBufferedOnes() {
    WholeTraceBuffer small = new WholeTraceBuffer(limits(1, 1000, 1 << 24));
    small.add(List.of(frontendRoot(1)), 0);

    assertThat(small.add(List.of(frontendRoot(2)), 0).accepted()).isFalse();
    assertThat(small.add(List.of(frontendClient(1)), 0).accepted()).isTrue();
  }

  @Test
  void takeAll_handsOnEverything_forShutdown() {
    buffer.add(List.of(frontendRoot(1), backendServer(2)), 0);

    assertThat(buffer.takeAll())
        .extracting(ReadyTrace::completion)
        .containsOnly(Completion.SHUTDOWN)
        .hasSize(2);
    assertThat(buffer.bufferedTraces()).isZero();
  }

  @Test
  void nextDue_isTheEarlierOfQuietPeriodAndTimeout() {
    buffer.add(List.of(frontendRoot(1)), 0);

    assertThat(buffer.nanosUntilNextDue(30 * MS)).isEqualTo(70 * MS);
    buffer.takeDue(100 * MS); // handed on
    buffer.add(List.of(frontendClient(2)), 200 * MS); // no root: only the quiet check, then timeout
    buffer.takeDue(300 * MS);
    assertThat(buffer.nanosUntilNextDue(300 * MS)).isEqualTo(9_900 * MS);
  }
}
