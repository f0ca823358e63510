package dev.traceinsights.collector;

import static dev.traceinsights.collector.TestSpans.span;
import static dev.traceinsights.collector.TestSpans.spanId;
import static dev.traceinsights.semconv.InsightAttributes.SAMPLING_REASON;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_BOTTLENECK;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_ERROR_CHAIN;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_LATE;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_ROOT_CAUSE;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_BOTTLENECK_SPAN_NAME;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_ROOT_CAUSE_SPAN_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.collector.analysis.ServiceGraph;
import dev.traceinsights.collector.assembly.BufferLimits;
import dev.traceinsights.collector.assembly.WholeTraceBuffer;
import dev.traceinsights.collector.export.ExportDropReason;
import dev.traceinsights.collector.export.ExportQueue;
import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.enrichment.internal.SpanEnricher;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole-trace processor on hand-drawn two-service traces, with its real buffer, analysis, tail
 * sampler and export queue; the SDK's in-memory exporter stands in for the backend.
 */
class WholeTraceProcessorTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final InMemorySpanExporter backend = InMemorySpanExporter.create();
  private final FlakyExporter flaky = new FlakyExporter(backend);
  private WholeTraceProcessor processor;

  private WholeTraceProcessor start(TailSampler tail, int queueSize) {
    processor =
        new WholeTraceProcessor(
                new WholeTraceBuffer(
                    new BufferLimits(
                        Duration.ofMillis(50),
                        Duration.ofMillis(200),
                        Duration.ofSeconds(30),
                        1000,
                        1000,
                        1 << 24,
                        1000)),
                TraceAnalyzer.create(),
                SpanEnricher.create(
                    AttributeLevel.STANDARD, SpanEnricher.DEFAULT_MIN_ALLOCATED_BYTES),
                tail,
                null,
                new ServiceGraph(null),
                List.of(
                    new ExportQueue(
                        "test",
                        flaky,
                        queueSize,
                        512,
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(5))),
                Clock.getDefault())
            .start();
    return processor;
  }

  @AfterEach
  void stop() {
    if (processor != null) {
      processor.shutdown(Duration.ofSeconds(5));
    }
  }

  /** Frontend 0..330 ms calls the backend, whose report query takes 300 ms. */
  private static List<SpanData> slowReport(int trace) {
    return List.of(
        span(trace, 1, 0, "frontend", "GET /shop/inventory-report", SpanKind.SERVER, 0, 330),
        span(trace, 2, 1, "frontend", "GET", SpanKind.CLIENT, 5, 325),
        span(trace, 3, 2, "backend", "GET /inventory/report", SpanKind.SERVER, 8, 322),
        span(trace, 4, 3, "backend", "SELECT shop.products", SpanKind.CLIENT, 10, 15),
        span(trace, 5, 3, "backend", "SELECT shop.warehouse", SpanKind.CLIENT, 16, 318));
  }

  /** The checkout: the backend's card validation throws, each caller fails in turn. */
  private static List<SpanData> failedCheckout(int trace) {
    io.opentelemetry.api.common.Attributes none = io.opentelemetry.api.common.Attributes.empty();
    return List.of(
        span(trace, 1, 0, "frontend", "GET /shop/checkout", SpanKind.SERVER, 0, 40, true, none),
        span(trace, 2, 1, "frontend", "GET", SpanKind.CLIENT, 2, 38, true, none),
        span(trace, 3, 2, "backend", "GET /payments/charge", SpanKind.SERVER, 4, 36, true, none),
        span(trace, 4, 3, "backend", "PaymentService.charge", SpanKind.INTERNAL, 5, 35, true, none),
        span(
            trace,
            5,
            4,
            "backend",
            "CardValidator.validate",
            SpanKind.INTERNAL,
            6,
            20,
            true,
            none));
  }

  private Map<String, SpanData> exported(int expectedSpans) {
    await().atMost(WAIT).until(() -> backend.getFinishedSpanItems().size() >= expectedSpans);
    return backend.getFinishedSpanItems().stream()
        .collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (a, b) -> b));
  }

  @Test
  void bottleneck_isTheBackendsQuery_notTheFrontendsRemoteCall() {
    start(null, 10_000).offer(slowReport(1));

    Map<String, SpanData> spans = exported(5);

    assertThat(spans.get(spanId(5)).getAttributes().get(SPAN_BOTTLENECK)).isTrue();
    assertThat(spans.get(spanId(2)).getAttributes().get(SPAN_BOTTLENECK)).isNull();
    SpanData root = spans.get(spanId(1));
    assertThat(root.getAttributes().get(TRACE_BOTTLENECK_SPAN_NAME))
        .isEqualTo("SELECT shop.warehouse");
    assertThat(root.getAttributes().get(WholeTraceProcessor.TRACE_SERVICE_COUNT)).isEqualTo(2);
    assertThat(root.getAttributes().get(WholeTraceProcessor.TRACE_INCOMPLETE)).isNull();
  }

  @Test
  void rootCause_andItsChain_crossTheServiceBoundary() {
    start(null, 10_000).offer(failedCheckout(1));

    Map<String, SpanData> spans = exported(5);

    assertThat(spans.get(spanId(5)).getAttributes().get(SPAN_ROOT_CAUSE)).isTrue();
    assertThat(spans.get(spanId(1)).getAttributes().get(TRACE_ROOT_CAUSE_SPAN_NAME))
        .isEqualTo("CardValidator.validate");
    // The chain runs from the root cause up through the backend into the frontend.
    assertThat(spans.get(spanId(2)).getAttributes().get(SPAN_ERROR_CHAIN)).isTrue();
    assertThat(spans.get(spanId(3)).getAttributes().get(SPAN_ERROR_CHAIN)).isTrue();
  }

  @Test
  void tailDecision_keepsTheErrorTraceWhole_andDropsTheOtherWhole_lateSpansFollow() {
    TailSampler tail =
        TailSampler.builder()
            .setKeepHeadSampled(false)
            .setRareThreshold(0)
            .setSlowPercentile(0)
            .build();
    start(tail, 10_000);
    // Without the backend's server span yet: the trace waits for it.
    List<SpanData> checkout = failedCheckout(1);
    processor.offer(checkout.subList(0, 2));
    processor.offer(checkout.subList(3, 5));
    processor.offer(slowReport(2));
    processor.offer(checkout.subList(2, 3));

    Map<String, SpanData> spans = exported(5);
    await().atMost(WAIT).until(() -> processor.droppedTraces() == 1);
    assertThat(processor.keptTraces()).isEqualTo(1);
    assertThat(spans.values())
        .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TestSpans.traceId(1)));
    assertThat(spans.get(spanId(1)).getAttributes().get(SAMPLING_REASON)).isEqualTo("error");

    // A straggler of each: the kept trace's is exported, marked late; the dropped trace's is not.
    processor.offer(
        List.of(
            span(1, 9, 3, "backend", "audit", SpanKind.INTERNAL, 30, 31),
            span(2, 9, 3, "backend", "audit", SpanKind.INTERNAL, 300, 301)));
    await().atMost(WAIT).until(() -> processor.lateSpans() == 2);
    Map<String, SpanData> after = exported(6);
    assertThat(after).hasSize(6);
    assertThat(after.get(spanId(9)).getTraceId()).isEqualTo(TestSpans.traceId(1));
    assertThat(after.get(spanId(9)).getAttributes().get(SPAN_LATE)).isTrue();
  }

  @Test
  void skewedBackendClock_shiftRecordedOnItsSpans_timesExportedAsRecorded() {
    List<SpanData> skewed =
        List.of(
            span(1, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 100),
            span(1, 2, 1, "frontend", "GET", SpanKind.CLIENT, 10, 90),
            span(1, 3, 2, "backend", "GET /x", SpanKind.SERVER, 2_020, 2_080));
    start(null, 10_000).offer(skewed);

    Map<String, SpanData> spans = exported(3);

    SpanData server = spans.get(spanId(3));
    assertThat(server.getAttributes().get(WholeTraceProcessor.SPAN_CLOCK_SKEW_NS))
        .isEqualTo(-2_000_000_000L);
    assertThat(server.getStartEpochNanos()).isEqualTo(skewed.get(2).getStartEpochNanos());
    assertThat(spans.get(spanId(2)).getAttributes().get(WholeTraceProcessor.SPAN_CLOCK_SKEW_NS))
        .isNull();
  }

  @Test
  void shutdown_decidesWhatIsBuffered_markedIncomplete() {
    start(null, 10_000);
    // The backend's part never arrives: no quiet completion, only the shutdown.
    processor.offer(slowReport(1).subList(0, 2));
    processor.offer(slowReport(1).subList(3, 5));

    processor.shutdown(Duration.ofSeconds(5));
    Map<String, SpanData> spans =
        backend.getFinishedSpanItems().stream()
            .collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    processor = null;

    assertThat(spans).hasSize(4);
    assertThat(spans.get(spanId(1)).getAttributes().get(WholeTraceProcessor.TRACE_INCOMPLETE))
        .isEqualTo("shutdown");
  }

  @Test
  void backendDown_queueFills_receiversRefuse_nothingLost_exportResumes() {
    flaky.down = true;
    start(null, 20);
    for (int trace = 1; trace <= 3; trace++) {
      assertThat(processor.offer(slowReport(trace)).accepted()).isTrue();
    }
    // The first batch is being retried: its 15 spans are still held. At 18 of 20 the queue counts
    // as nearly full: one more trace is taken, the next refused.
    ExportQueue queue = processor.exports().get(0);
    await().atMost(WAIT).until(() -> queue.failedAttempts() > 0);
    assertThat(queue.size()).isEqualTo(15);
    assertThat(processor.offer(slowReport(4)).accepted()).isTrue();
    await().atMost(WAIT).until(() -> queue.size() == 20);
    assertThat(processor.offer(slowReport(5)).accepted()).isFalse();

    flaky.down = false;

    await().atMost(WAIT).until(() -> backend.getFinishedSpanItems().size() == 20);
    for (ExportDropReason reason : ExportDropReason.values()) {
      assertThat(queue.droppedSpans(reason)).as(reason.name()).isZero();
    }
    assertThat(processor.offer(slowReport(5)).accepted()).isTrue();
  }

  /** Fails every export while {@link #down} is set: a backend that is away for a while. */
  private static final class FlakyExporter implements SpanExporter {
    private final SpanExporter delegate;
    volatile boolean down;

    FlakyExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return down ? CompletableResultCode.ofFailure() : delegate.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
