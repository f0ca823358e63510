package dev.traceinsights.extension;

import static dev.traceinsights.semconv.InsightAttributes.SAMPLING_REASON;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_ALLOCATED_BYTES;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_COUNT;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_SELF_TIME_NS;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_CRITICAL_PATH_SPAN_IDS;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The extension wired by the SDK's real autoconfiguration, as the javaagent does it. */
class TraceInsightsAutoConfigTest {

  static volatile Object sink;

  private final Logger extensionLogger = Logger.getLogger(TraceInsightsAutoConfig.class.getName());
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final List<String> infos = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record.getMessage());
          } else if (record.getLevel().equals(Level.INFO)) {
            infos.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private OpenTelemetrySdk sdk;

  @BeforeEach
  void setUp() {
    MemorySpanExporterProvider.EXPORTER.reset();
    extensionLogger.addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    extensionLogger.removeHandler(capture);
    if (sdk != null) {
      sdk.shutdown().join(10, SECONDS);
    }
  }

  @Test
  void exportedSpansCarryCaptureAndAnalysis() {
    // The full level: every span carries its self time.
    Tracer tracer = sdk(Map.of("traceinsights.attributes", "full")).getTracer("test");

    Span root = tracer.spanBuilder("root").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      Span work = tracer.spanBuilder("allocate").startSpan();
      sink = new byte[1024 * 1024];
      work.end();
    }
    root.end();
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);

    List<SpanData> spans = MemorySpanExporterProvider.EXPORTER.getFinishedSpanItems();
    assertThat(spans).hasSize(2);
    assertThat(spans)
        .allSatisfy(span -> assertThat(span.getAttributes().get(SPAN_SELF_TIME_NS)).isNotNull());
    SpanData allocate =
        spans.stream().filter(s -> s.getName().equals("allocate")).findFirst().orElseThrow();
    assertThat(allocate.getAttributes().get(SPAN_ALLOCATED_BYTES))
        .isGreaterThanOrEqualTo(1024 * 1024);
    assertThat(warnings).isEmpty();
  }

  @Test
  void theDefaultLevelSummarisesOnTheRootAndLogsOneStartupLine() {
    Tracer tracer = sdk(Map.of()).getTracer("test");

    Span root = tracer.spanBuilder("root").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      Span work = tracer.spanBuilder("allocate").startSpan();
      sink = new byte[2 * 1024 * 1024];
      work.end();
    }
    root.end();
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);

    List<SpanData> spans = MemorySpanExporterProvider.EXPORTER.getFinishedSpanItems();
    SpanData rootSpan =
        spans.stream().filter(s -> s.getName().equals("root")).findFirst().orElseThrow();
    SpanData allocate =
        spans.stream().filter(s -> s.getName().equals("allocate")).findFirst().orElseThrow();
    // Which of the two hold a twentieth of the path depends on this machine's timing; one does.
    assertThat(rootSpan.getAttributes().get(TRACE_CRITICAL_PATH_SPAN_IDS))
        .isNotEmpty()
        .isSubsetOf(rootSpan.getSpanId(), allocate.getSpanId());
    // Above the 1 MiB threshold: exported at the default level.
    assertThat(allocate.getAttributes().get(SPAN_ALLOCATED_BYTES))
        .isGreaterThanOrEqualTo(2 * 1024 * 1024);
    assertThat(infos)
        .singleElement()
        .asString()
        .startsWith("Trace Insights " + TraceInsightsAutoConfig.version() + " loaded: analysis on")
        .doesNotContain("unknown version");
  }

  @Test
  void disabledLeavesSpansUntouched() {
    Tracer tracer = sdk(Map.of("traceinsights.enabled", "false")).getTracer("test");

    tracer.spanBuilder("root").startSpan().end();
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);

    List<SpanData> spans = MemorySpanExporterProvider.EXPORTER.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getAttributes().isEmpty()).isTrue();
  }

  @Test
  void badValueIsReportedOnceAndTheDefaultApplies() {
    Tracer tracer = sdk(Map.of("traceinsights.n-plus-one.threshold", "banana")).getTracer("test");

    // Five identical statements under one parent: N+1 at the default threshold of 5.
    Span root = tracer.spanBuilder("root").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      for (int i = 0; i < 5; i++) {
        tracer
            .spanBuilder("SELECT items")
            .setAttribute("db.system", "h2")
            .setAttribute("db.statement", "SELECT * FROM items WHERE order_id = " + i)
            .startSpan()
            .end();
      }
    }
    root.end();
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);

    assertThat(warnings)
        .containsExactly(
            "Trace Insights: invalid value 'banana' for traceinsights.n-plus-one.threshold:"
                + " expected an integer >= 2; using the default 5");
    SpanData exportedRoot =
        MemorySpanExporterProvider.EXPORTER.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("root"))
            .findFirst()
            .orElseThrow();
    assertThat(exportedRoot.getAttributes().get(SPAN_N_PLUS_ONE_COUNT)).isEqualTo(5);
  }

  @Test
  void liveStatisticsAndCountersAreExportedAsMetrics() {
    MemoryMetricExporterProvider.EXPORTER.reset();
    Tracer tracer =
        sdk(Map.of("otel.metrics.exporter", "memory", "otel.metric.export.interval", "3600000"))
            .getTracer("test");

    for (int i = 0; i < 3; i++) {
      tracer.spanBuilder("GET /orders").setSpanKind(SpanKind.SERVER).startSpan().end();
    }
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);
    sdk.getSdkMeterProvider().forceFlush().join(10, SECONDS);

    List<MetricData> metrics = MemoryMetricExporterProvider.EXPORTER.getFinishedMetricItems();
    assertThat(metrics)
        .anySatisfy(
            metric ->
                assertThat(metric)
                    .hasName("traceinsights.operation.calls")
                    .hasLongSumSatisfying(
                        sum ->
                            sum.hasPointsSatisfying(
                                point ->
                                    point
                                        .hasValue(3)
                                        .hasAttributes(
                                            Attributes.of(
                                                stringKey("span.name"), "GET /orders",
                                                stringKey("span.kind"), "server")))))
        .anySatisfy(
            metric ->
                assertThat(metric)
                    .hasName("traceinsights.traces.analyzed")
                    .hasLongSumSatisfying(
                        sum -> sum.hasPointsSatisfying(point -> point.hasValue(3))));
  }

  @Test
  void ruleBasedSamplerIsSelectableByName() {
    Tracer tracer =
        sdk(Map.of(
                "otel.traces.sampler", "traceinsights_rules",
                "traceinsights.sampler.rules", "drop:name=GET /health"))
            .getTracer("test");

    tracer.spanBuilder("GET /health").startSpan().end();
    tracer.spanBuilder("GET /checkout").startSpan().end();
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);

    assertThat(MemorySpanExporterProvider.EXPORTER.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("GET /checkout");
  }

  @Test
  void recordEverythingExportsWhatTheTailDecisionKeeps() {
    Tracer tracer =
        sdk(Map.of(
                "otel.traces.sampler", "traceinsights_record_all",
                "otel.traces.sampler.arg", "0",
                "traceinsights.tail.rare.threshold", "0"))
            .getTracer("test");

    Span failed = tracer.spanBuilder("GET /checkout").startSpan();
    failed.setStatus(StatusCode.ERROR);
    failed.end();
    tracer.spanBuilder("GET /home").startSpan().end();
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);

    assertThat(MemorySpanExporterProvider.EXPORTER.getFinishedSpanItems())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.getName()).isEqualTo("GET /checkout");
              assertThat(span.getAttributes().get(SAMPLING_REASON)).isEqualTo("error");
              assertThat(span.getSpanContext().isSampled()).isTrue();
            });
  }

  @Test
  void recordAllKeyWrapsTheConfiguredSampler() {
    Tracer tracer =
        sdk(Map.of(
                "otel.traces.sampler", "always_off",
                "traceinsights.sampler.record-all", "true",
                "traceinsights.tail.rare.threshold", "0"))
            .getTracer("test");

    Span failed = tracer.spanBuilder("GET /checkout").startSpan();
    assertThat(failed.isRecording()).isTrue();
    failed.setStatus(StatusCode.ERROR);
    failed.end();
    sdk.getSdkTracerProvider().forceFlush().join(10, SECONDS);

    assertThat(MemorySpanExporterProvider.EXPORTER.getFinishedSpanItems())
        .extracting(span -> span.getAttributes().get(SAMPLING_REASON))
        .containsExactly("error");
  }

  private OpenTelemetrySdk sdk(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>();
    all.put("otel.traces.exporter", "memory");
    all.put("otel.metrics.exporter", "none");
    all.put("otel.logs.exporter", "none");
    all.put("otel.bsp.schedule.delay", "10");
    all.put("traceinsights.trace.grace", "0ms");
    all.putAll(properties);
    sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> all)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return sdk;
  }
}
