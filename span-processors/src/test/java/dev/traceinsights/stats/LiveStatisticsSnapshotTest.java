package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.MS;
import static dev.traceinsights.stats.StatsTestSpans.key;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.semconv.InsightAttributes;
import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Snapshots of traces made with the real SDK and analysed by the real analyzer. */
class LiveStatisticsSnapshotTest {

  private static final long T0 = 1_700_000_000_000_000_000L;

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder()
          .setResource(StatsTestSpans.RESOURCE)
          .addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .build();
  private final Tracer tracer = tracerProvider.get("test");
  private final TraceAnalyzer analyzer = TraceAnalyzer.create(AnalysisSettings.defaults());
  private final TestClock clock = TestClock.create();

  @AfterEach
  void shutDown() {
    tracerProvider.close();
  }

  /**
   *
   *
   * <pre>
   * time ms      0    10   20   30   40   50   60   70   80   90   100
   * GET /orders  [==================================================]  SERVER
   * SELECT        [==============================]                     CLIENT, db.system, 4096 B
   * render                                          [=========]        INTERNAL 75..95
   * </pre>
   *
   * Critical path: GET /orders 95..100, render 75..95, GET /orders 70..75, SELECT 10..70, GET
   * /orders 0..10: SELECT has the most (60 ms) and is the bottleneck (DATABASE). Self time: GET
   * /orders 100 - 60 - 20 = 20 ms, SELECT 60 ms, render 20 ms.
   */
  private List<SpanData> ordersTrace() {
    exporter.reset();
    Span root = start("GET /orders", SpanKind.SERVER, null, 0);
    Span select = start("SELECT orders", SpanKind.CLIENT, root, 10);
    select.setAttribute("db.system", "h2");
    select.setAttribute(InsightAttributes.SPAN_ALLOCATED_BYTES, 4096L);
    select.end(T0 + 70 * MS, NANOSECONDS);
    Span render = start("render", SpanKind.INTERNAL, root, 75);
    render.end(T0 + 95 * MS, NANOSECONDS);
    root.end(T0 + 100 * MS, NANOSECONDS);
    return exporter.getFinishedSpanItems();
  }

  /**
   *
   *
   * <pre>
   * time ms     0    10   20   30   40   50
   * POST /pay   [========================!]   SERVER, status ERROR "payment failed"
   * charge           [==============!]        CLIENT, IllegalStateException "card 4242 declined"
   * </pre>
   *
   * Root cause: charge. Critical path: charge 30 ms, POST /pay 20 ms: charge is the bottleneck
   * (REMOTE_CALL).
   */
  private List<SpanData> paymentTrace() {
    exporter.reset();
    Span root = start("POST /pay", SpanKind.SERVER, null, 0);
    Span charge = start("charge", SpanKind.CLIENT, root, 10);
    charge.recordException(new IllegalStateException("card 4242 declined"));
    charge.setStatus(StatusCode.ERROR);
    charge.end(T0 + 40 * MS, NANOSECONDS);
    root.setStatus(StatusCode.ERROR, "payment failed");
    root.end(T0 + 50 * MS, NANOSECONDS);
    return exporter.getFinishedSpanItems();
  }

  private Span start(String name, SpanKind kind, Span parent, long atMs) {
    return tracer
        .spanBuilder(name)
        .setSpanKind(kind)
        .setParent(parent == null ? Context.root() : Context.root().with(parent))
        .setStartTimestamp(T0 + atMs * MS, NANOSECONDS)
        .startSpan();
  }

  @Test
  void operationsBottlenecksAndErrorPatterns() {
    LiveStatistics statistics = LiveStatistics.builder().setClock(clock).build();
    List<SpanData> orders1 = ordersTrace();
    TraceAnalysis orders1Analysis = analyzer.analyze(orders1);
    assertThat(orders1Analysis.bottlenecks())
        .extracting(b -> b.spanName(), b -> b.category(), b -> b.criticalPathNanos())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "SELECT orders", BottleneckCategory.DATABASE, 60 * MS));
    statistics.recordTrace(orders1Analysis, orders1);
    List<SpanData> orders2 = ordersTrace();
    statistics.recordTrace(analyzer.analyze(orders2), orders2);
    long firstPaymentAt = clock.now();
    List<SpanData> payment1 = paymentTrace();
    statistics.recordTrace(analyzer.analyze(payment1), payment1);
    clock.advance(Duration.ofSeconds(5));
    List<SpanData> payment2 = paymentTrace();
    TraceAnalysis payment2Analysis = analyzer.analyze(payment2);
    statistics.recordTrace(payment2Analysis, payment2);

    StatisticsSnapshot snapshot = statistics.snapshot();

    assertThat(snapshot.analyzedTraces()).isEqualTo(4);
    assertThat(snapshot.recordedSpans()).isEqualTo(10);
    assertThat(snapshot.unanalyzedSpans()).isZero();
    assertThat(snapshot.overflowSpans()).isZero();
    assertThat(snapshot.operations())
        .extracting(OperationStatistics::operation)
        .containsExactly( // most calls first, then by key
            key("GET /orders", SpanKind.SERVER),
            key("POST /pay", SpanKind.SERVER),
            key("SELECT orders", SpanKind.CLIENT),
            key("charge", SpanKind.CLIENT),
            key("render", SpanKind.INTERNAL));

    OperationStatistics orders = snapshot.operation(key("GET /orders", SpanKind.SERVER));
    assertThat(orders.calls()).isEqualTo(2);
    assertThat(orders.errors()).isZero();
    assertThat(orders.overflow()).isFalse();
    assertThat(orders.durationP50Nanos()).isCloseTo(100.0 * MS, within(1.0 * MS));
    assertThat(orders.durationP99Nanos()).isCloseTo(100.0 * MS, within(1.0 * MS));
    assertThat(orders.selfTimeP50Nanos()).isCloseTo(20.0 * MS, within(0.2 * MS));
    assertThat(orders.allocatedBytes()).isZero();
    assertThat(orders.allocationMeasuredCalls()).isZero();
    assertThat(orders.health()).isEqualTo(Health.HEALTHY);
    assertThat(orders.recentCalls()).isEqualTo(2);

    OperationStatistics select = snapshot.operation(key("SELECT orders", SpanKind.CLIENT));
    assertThat(select.selfTimeP99Nanos()).isCloseTo(60.0 * MS, within(0.6 * MS));
    assertThat(select.allocatedBytes()).isEqualTo(2 * 4096);
    assertThat(select.allocationMeasuredCalls()).isEqualTo(2);

    OperationStatistics pay = snapshot.operation(key("POST /pay", SpanKind.SERVER));
    assertThat(pay.errors()).isEqualTo(2);
    assertThat(pay.errorRate()).isEqualTo(1.0);
    assertThat(pay.recentErrors()).isEqualTo(2);
    // 2 calls: below the 20 the error rate needs to count
    assertThat(pay.health()).isEqualTo(Health.HEALTHY);

    assertThat(snapshot.topBottlenecks())
        .containsExactly(
            new BottleneckStatistics(
                key("SELECT orders", SpanKind.CLIENT),
                false,
                BottleneckCategory.DATABASE,
                2,
                120 * MS),
            new BottleneckStatistics(
                key("charge", SpanKind.CLIENT), false, BottleneckCategory.REMOTE_CALL, 2, 60 * MS));

    String chargeFingerprint = payment2Analysis.rootCause().fingerprint();
    assertThat(snapshot.errorPatterns()).hasSize(2);
    ErrorPattern charge = pattern(snapshot, chargeFingerprint);
    assertThat(charge)
        .isEqualTo(
            new ErrorPattern(
                chargeFingerprint,
                "java.lang.IllegalStateException",
                "card 4242 declined",
                key("charge", SpanKind.CLIENT),
                payment2Analysis.traceId(), // the latest example
                2,
                2,
                2,
                firstPaymentAt,
                firstPaymentAt + Duration.ofSeconds(5).toNanos()));
    ErrorPattern root =
        pattern(snapshot, payment2Analysis.span(payment2Analysis.rootSpanId()).errorFingerprint());
    assertThat(root.errorType()).isEqualTo("span_error");
    assertThat(root.sampleMessage()).isEqualTo("payment failed");
    assertThat(root.operation()).isEqualTo(key("POST /pay", SpanKind.SERVER));
    assertThat(root.traceCount()).isEqualTo(2);
    assertThat(root.rootCauseCount()).isZero();

    assertThat(snapshot.recentTraces()).isEqualTo(4);
    assertThat(statistics.recentTraces(payment2Analysis.traceId()))
        .containsExactly(payment2Analysis);
    assertThat(statistics.recentTraces(orders1Analysis.traceId())).containsExactly(orders1Analysis);
    assertThat(snapshot.recentTraceBytes()).isPositive();
  }

  private static ErrorPattern pattern(StatisticsSnapshot snapshot, String fingerprint) {
    return snapshot.errorPatterns().stream()
        .filter(pattern -> pattern.fingerprint().equals(fingerprint))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void unanalysedSpansCountWithoutSelfTime() {
    LiveStatistics statistics = LiveStatistics.builder().setClock(clock).build();
    List<SpanData> orders = ordersTrace();
    statistics.recordTrace(analyzer.analyze(orders), orders);
    statistics.recordUnanalyzed(
        StatsTestSpans.span("GET /orders")
            .kind(SpanKind.SERVER)
            .duration(300 * MS)
            .exception("java.io.IOException", "broken pipe")
            .allocatedBytes(512)
            .build());
    statistics.recordUnanalyzed(
        StatsTestSpans.span("GET /orders").kind(SpanKind.SERVER).duration(200 * MS).build());

    StatisticsSnapshot snapshot = statistics.snapshot();
    OperationStatistics row = snapshot.operation(key("GET /orders", SpanKind.SERVER));

    assertThat(row.calls()).isEqualTo(3);
    assertThat(row.errors()).isEqualTo(1); // the exception event, without ERROR status
    // 100, 200, 300 ms: p50 and p99 both have rank floor(q * 2) = 1, i.e. 200 ms.
    assertThat(row.durationP50Nanos()).isCloseTo(200.0 * MS, within(2.0 * MS));
    assertThat(row.durationP99Nanos()).isCloseTo(200.0 * MS, within(2.0 * MS));
    // Only the analysed span has a self time.
    assertThat(row.selfTimeP99Nanos()).isCloseTo(20.0 * MS, within(0.2 * MS));
    assertThat(row.allocatedBytes()).isEqualTo(512);
    assertThat(row.allocationMeasuredCalls()).isEqualTo(1);
    assertThat(snapshot.unanalyzedSpans()).isEqualTo(2);
    assertThat(snapshot.recordedSpans()).isEqualTo(5);
    // Unanalysed spans have no fingerprint: no pattern.
    assertThat(snapshot.errorPatterns()).isEmpty();
  }

  @Test
  void topBottlenecksAreCutToTheConfiguredCount() {
    LiveStatistics statistics =
        LiveStatistics.builder().setClock(clock).setTopBottlenecks(1).build();
    List<SpanData> orders = ordersTrace();
    statistics.recordTrace(analyzer.analyze(orders), orders);
    List<SpanData> payment = paymentTrace();
    statistics.recordTrace(analyzer.analyze(payment), payment);

    assertThat(statistics.snapshot().topBottlenecks())
        .extracting(BottleneckStatistics::operation)
        .containsExactly(key("SELECT orders", SpanKind.CLIENT));
  }

  @Test
  void errorPatternsAreBoundedLeastRecentlySeenFirst() {
    LiveStatistics statistics =
        LiveStatistics.builder().setClock(clock).setMaxErrorPatterns(2).build();
    // Three traces, each one failing span with its own message (its own fingerprint).
    for (String message : List.of("disk full", "timeout", "disk full", "refused")) {
      SpanData failed =
          StatsTestSpans.span("job")
              .traceId(TestSpans.traceId(message.length()))
              .duration(MS)
              .exception("java.io.IOException", message)
              .build();
      statistics.recordTrace(analyzer.analyze(List.of(failed)), List.of(failed));
      clock.advance(Duration.ofSeconds(1));
    }

    StatisticsSnapshot snapshot = statistics.snapshot();
    // "timeout" was the least recently seen when "refused" came.
    assertThat(snapshot.errorPatterns())
        .extracting(ErrorPattern::sampleMessage, ErrorPattern::traceCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("disk full", 2L),
            org.assertj.core.groups.Tuple.tuple("refused", 1L));
    assertThat(snapshot.errorPatternsDropped()).isEqualTo(1);
  }

  @Test
  void spansMustCorrespondToTheAnalysis() {
    LiveStatistics statistics = LiveStatistics.builder().setClock(clock).build();
    List<SpanData> orders = ordersTrace();
    TraceAnalysis analysis = analyzer.analyze(orders);

    assertThatThrownBy(() -> statistics.recordTrace(analysis, orders.subList(0, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spans");
    assertThatThrownBy(() -> statistics.durationQuantileNanos(key("x", SpanKind.SERVER), 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quantile");
  }
}
