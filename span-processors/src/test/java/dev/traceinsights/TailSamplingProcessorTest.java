package dev.traceinsights;

import static dev.traceinsights.semconv.InsightAttributes.SAMPLING_REASON;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_CRITICAL_PATH_NS;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_LATE;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_CRITICAL_PATH_SPAN_IDS;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.sampling.RecordingSampler;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.stats.OperationStatistics;
import dev.traceinsights.tail.DropReason;
import dev.traceinsights.tail.KeepReason;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.assertj.LongPointAssert;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tail decisions inside the processor: head sampling records every span but samples none, the
 * downstream SimpleSpanProcessor exports only sampled spans, and the tail sampler picks what
 * reaches the exporter.
 */
class TailSamplingProcessorTest {

  private InMemorySpanExporter exporter;
  private final LiveStatistics statistics = LiveStatistics.builder().build();
  private final List<SpanData> analysed = new CopyOnWriteArrayList<>();
  private TailSampler tailSampler;
  private SdkTracerProvider provider;
  private TraceInsightsSpanProcessor processor;
  private Tracer tracer;

  @BeforeEach
  void setUp() {
    start(
        TailSampler.builder()
            .setSlowThreshold(Duration.ZERO)
            .setSlowPercentile(0)
            .setRareThreshold(0)
            .build());
  }

  private void start(TailSampler tailSampler) {
    if (provider != null) {
      provider.shutdown().join(10, SECONDS);
    }
    this.tailSampler = tailSampler;
    exporter = InMemorySpanExporter.create(); // a shut-down exporter accepts nothing more
    AssemblyLimits defaults = AssemblyLimits.defaults();
    processor =
        TraceInsightsSpanProcessor.builder(SimpleSpanProcessor.create(exporter))
            .setAssemblyLimits(
                new AssemblyLimits(
                    defaults.maxTraces(),
                    defaults.maxSpansPerTrace(),
                    defaults.maxBytes(),
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    defaults.rememberedSpans()))
            .setTailSampler(tailSampler)
            .setLiveStatistics(statistics)
            .addListener((analysis, spans) -> analysed.addAll(spans))
            .build();
    provider =
        SdkTracerProvider.builder()
            .setSampler(RecordingSampler.wrap(Sampler.alwaysOff()))
            .addSpanProcessor(processor)
            .build();
    tracer = provider.get("test");
  }

  @AfterEach
  void tearDown() {
    provider.shutdown().join(10, SECONDS);
  }

  @Test
  void keptTracesAreExportedAsSampledWithTheirReason() {
    Span failed = tracer.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).startSpan();
    tracer.spanBuilder("validate").setParent(Context.root().with(failed)).startSpan().end();
    failed.setStatus(StatusCode.ERROR);
    failed.end();
    tracer.spanBuilder("GET /home").setSpanKind(SpanKind.SERVER).startSpan().end();

    processor.forceFlush().join(10, SECONDS);

    List<SpanData> exported = exporter.getFinishedSpanItems();
    assertThat(exported)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("validate", "GET /checkout");
    for (SpanData span : exported) {
      assertThat(span.getSpanContext().isSampled()).isTrue();
    }
    // The reason is on the local root (every span carries it at the full level).
    assertThat(exported)
        .filteredOn(span -> span.getName().equals("GET /checkout"))
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.getAttributes().get(SAMPLING_REASON)).isEqualTo("error");
              assertThat(span.getAttributes().get(TRACE_CRITICAL_PATH_SPAN_IDS)).isNotEmpty();
            });
    assertThat(exported)
        .filteredOn(span -> span.getName().equals("validate"))
        .singleElement()
        .satisfies(span -> assertThat(span.getAttributes().get(SAMPLING_REASON)).isNull());
    assertThat(tailSampler.stats().keptTraces(KeepReason.ERROR)).isEqualTo(1);
    assertThat(tailSampler.stats().droppedTraces(DropReason.NOT_SELECTED)).isEqualTo(1);
    assertThat(tailSampler.stats().droppedSpans(DropReason.NOT_SELECTED)).isEqualTo(1);
    // Dropped traces were still analysed: statistics and listeners see 100 % of traces, and
    // listeners get the dropped trace enriched too, without a sampling reason.
    assertThat(processor.stats().analyzedTraces()).isEqualTo(2);
    assertThat(analysed)
        .filteredOn(span -> span.getName().equals("GET /home"))
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.getAttributes().get(SPAN_CRITICAL_PATH_NS)).isNotNull();
              assertThat(span.getAttributes().get(SAMPLING_REASON)).isNull();
            });
  }

  @Test
  void liveStatisticsCountDroppedTracesTooAndTellTheTailWhatIsRare() {
    start(
        TailSampler.builder()
            .setKeepErrors(false)
            .setSlowThreshold(Duration.ZERO)
            .setSlowPercentile(0)
            .setKeepNPlusOne(false)
            .setRareThreshold(2)
            .build());

    for (int i = 0; i < 4; i++) {
      tracer.spanBuilder("GET /new").setSpanKind(SpanKind.SERVER).startSpan().end();
      processor.forceFlush().join(10, SECONDS);
    }

    // Seen 0 and 1 times before: rare. Then seen twice: no longer.
    assertThat(exporter.getFinishedSpanItems())
        .hasSize(2)
        .allSatisfy(
            span -> assertThat(span.getAttributes().get(SAMPLING_REASON)).isEqualTo("rare"));
    assertThat(tailSampler.stats().keptTraces(KeepReason.RARE)).isEqualTo(2);
    assertThat(tailSampler.stats().droppedTraces(DropReason.NOT_SELECTED)).isEqualTo(2);
    OperationStatistics newPage =
        statistics.snapshot().operations().stream()
            .filter(operation -> operation.operation().spanName().equals("GET /new"))
            .findFirst()
            .orElseThrow();
    assertThat(newPage.calls()).isEqualTo(4);
  }

  @Test
  void lateSpansFollowTheirTracesDecision() {
    Span kept = tracer.spanBuilder("GET /checkout").startSpan();
    Span keptStraggler =
        tracer.spanBuilder("audit").setParent(Context.root().with(kept)).startSpan();
    kept.setStatus(StatusCode.ERROR);
    kept.end();
    Span dropped = tracer.spanBuilder("GET /home").startSpan();
    Span droppedStraggler =
        tracer.spanBuilder("prefetch").setParent(Context.root().with(dropped)).startSpan();
    dropped.end();
    processor.forceFlush().join(10, SECONDS);
    exporter.reset();

    keptStraggler.end();
    droppedStraggler.end();
    processor.forceFlush().join(10, SECONDS);

    assertThat(exporter.getFinishedSpanItems())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.getName()).isEqualTo("audit");
              assertThat(span.getSpanContext().isSampled()).isTrue();
              assertThat(span.getAttributes().get(SAMPLING_REASON)).isEqualTo("error");
              assertThat(span.getAttributes().get(SPAN_LATE)).isTrue();
            });
    assertThat(tailSampler.stats().lateSpansKept()).isEqualTo(1);
    assertThat(tailSampler.stats().lateSpansDropped()).isEqualTo(1);
  }

  @Test
  void countersArePublishedAsMetrics() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build();
    processor.registerMetrics(meterProvider);
    processor.registerMetrics(meterProvider); // a second call registers nothing twice

    Span failed = tracer.spanBuilder("GET /checkout").startSpan();
    failed.setStatus(StatusCode.ERROR);
    failed.end();
    tracer.spanBuilder("GET /home").startSpan().end();
    tracer.spanBuilder("GET /home").startSpan().end();
    processor.forceFlush().join(10, SECONDS);

    Collection<MetricData> metrics = reader.collectAllMetrics();
    assertThat(metrics)
        .anySatisfy(
            metric ->
                assertThat(metric)
                    .hasName("traceinsights.tail.traces")
                    .hasUnit("{trace}")
                    .hasLongSumSatisfying(
                        sum ->
                            sum.isMonotonic()
                                .hasPointsSatisfying(
                                    tailPoint("kept", "head", 0),
                                    tailPoint("kept", "error", 1),
                                    tailPoint("kept", "slow", 0),
                                    tailPoint("kept", "bottleneck", 0),
                                    tailPoint("kept", "n_plus_one", 0),
                                    tailPoint("kept", "rare", 0),
                                    tailPoint("kept", "probabilistic", 0),
                                    tailPoint("dropped", "not_selected", 2),
                                    tailPoint("dropped", "rate_limited", 0))))
        .anySatisfy(
            metric ->
                assertThat(metric)
                    .hasName("traceinsights.traces.analyzed")
                    .hasLongSumSatisfying(
                        sum -> sum.hasPointsSatisfying(point -> point.hasValue(3))));
    meterProvider.close();
  }

  private static Consumer<LongPointAssert> tailPoint(String decision, String reason, long value) {
    return point ->
        point
            .hasValue(value)
            .hasAttributes(
                Attributes.of(stringKey("decision"), decision, stringKey("reason"), reason));
  }
}
