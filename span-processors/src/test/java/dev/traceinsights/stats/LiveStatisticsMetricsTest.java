package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.MS;
import static dev.traceinsights.stats.StatsTestSpans.SECOND;
import static dev.traceinsights.stats.StatsTestSpans.analyze;
import static dev.traceinsights.stats.StatsTestSpans.span;
import static dev.traceinsights.testing.TestSpans.traceId;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.assertj.HistogramPointAssert;
import io.opentelemetry.sdk.testing.assertj.LongPointAssert;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveStatisticsMetricsTest {

  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.create("dev.traceinsights");
  private static final Attributes ORDERS = operation("GET /orders", "server");
  private static final Attributes SELECT = operation("SELECT", "client");
  private static final double[] BOUNDARIES = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
  };

  private final TestClock clock = TestClock.create();
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meterProvider =
      SdkMeterProvider.builder().registerMetricReader(reader).build();

  @AfterEach
  void shutDown() {
    meterProvider.close();
  }

  @Test
  void spansRecordedAfterRegistrationBecomeMetrics() {
    // Slow from 400 ms, p95 from 1 call, so that health is hand-computable on few calls.
    LiveStatistics statistics =
        LiveStatistics.builder()
            .setClock(clock)
            .setMinCallsForQuantile(1)
            .setLatencyThresholds(Duration.ofMillis(400), Duration.ofSeconds(5))
            .build();
    // Not replayed into the histograms; the counters, totals observed at collection, include it.
    statistics.recordUnanalyzed(StatsTestSpans.server("GET /orders", SECOND));
    statistics.registerMetrics(meterProvider);

    statistics.recordUnanalyzed(
        span("GET /orders").kind(SpanKind.SERVER).duration(250 * MS).allocatedBytes(100).build());
    statistics.recordUnanalyzed(
        span("GET /orders").kind(SpanKind.SERVER).duration(500 * MS).errorStatus("").build());
    // time ms  0 ...                          1900  1950  2000
    // GET /orders [==================================]      SERVER, self time 1950 ms
    // SELECT                                   [====]       CLIENT 50 ms
    List<SpanData> trace =
        List.of(
            span("GET /orders")
                .kind(SpanKind.SERVER)
                .traceId(traceId(1))
                .spanId("00000000000000aa")
                .at(0, 2 * SECOND)
                .build(),
            span("SELECT")
                .kind(SpanKind.CLIENT)
                .traceId(traceId(1))
                .spanId("00000000000000bb")
                .parentId("00000000000000aa")
                .at(1900 * MS, 1950 * MS)
                .build());
    statistics.recordTrace(analyze(trace), trace);

    Collection<MetricData> metrics = reader.collectAllMetrics();

    assertThat(metrics).hasSize(6);
    assertThat(metric(metrics, "traceinsights.operation.duration")).hasInstrumentationScope(SCOPE);
    assertSecondsHistogram(
        metrics,
        "traceinsights.operation.duration",
        orders ->
            orders
                .hasCount(3)
                .hasSum(0.25 + 0.5 + 2.0)
                // (0.1, 0.25], (0.25, 0.5], (1, 2.5]
                .hasBucketCounts(0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0));
    assertSecondsHistogram(
        metrics, "traceinsights.operation.self_time", orders -> orders.hasCount(1).hasSum(1.95));
    assertCounter(
        metrics, "traceinsights.operation.calls", "{call}", Map.of(ORDERS, 4L, SELECT, 1L));
    assertCounter(
        metrics, "traceinsights.operation.errors", "{error}", Map.of(ORDERS, 1L, SELECT, 0L));
    assertCounter(metrics, "traceinsights.operation.allocation", "By", Map.of(ORDERS, 100L));
    // GET /orders: 250 ms, 500 ms, 1 s, 2 s recorded (the one before registration counts for
    // health): p95 rank floor(0.95 * 3) = 2 -> 1 s, slow. SELECT: 50 ms, healthy.
    assertThat(metric(metrics, "traceinsights.operation.health"))
        .hasUnit("1")
        .hasLongGaugeSatisfying(
            gauge ->
                gauge.hasPointsSatisfying(
                    point -> point.hasAttributes(ORDERS).hasValue(1),
                    point -> point.hasAttributes(SELECT).hasValue(0)));
  }

  @Test
  void overflowSeriesAreNamedOtherAndTheBuilderRegisters() {
    LiveStatistics statistics =
        LiveStatistics.builder()
            .setClock(clock)
            .setMaxOperations(1)
            .setMeterProvider(meterProvider)
            .build();
    statistics.recordUnanalyzed(span("a").duration(MS).build());
    statistics.recordUnanalyzed(span("b").duration(MS).build());
    statistics.recordUnanalyzed(span("c").duration(MS).build());
    // A second registration is ignored: nothing is counted twice.
    statistics.registerMetrics(meterProvider);
    // No instrument records per span any more: the counters are read from the totals.
    statistics.recordUnanalyzed(span("c").duration(MS).build());

    assertThat(metric(reader.collectAllMetrics(), "traceinsights.operation.calls"))
        .hasLongSumSatisfying(
            sum ->
                sum.hasPointsSatisfying(
                    point -> point.hasAttributes(operation("a", "internal")).hasValue(1),
                    point -> point.hasAttributes(operation("_OTHER", "internal")).hasValue(3)));
  }

  @Test
  void healthOfOperationsOfTwoServicesSharingAttributesIsTheWorse() {
    LiveStatistics statistics =
        LiveStatistics.builder()
            .setClock(clock)
            .setMinCallsForQuantile(1)
            .setMeterProvider(meterProvider)
            .build();
    statistics.recordUnanalyzed(
        span("GET /orders").kind(SpanKind.SERVER).duration(10 * MS).build());
    statistics.recordUnanalyzed(
        span("GET /orders")
            .resource(TestSpans.resource("legacy"))
            .kind(SpanKind.SERVER)
            .duration(6 * SECOND)
            .build());

    assertThat(metric(reader.collectAllMetrics(), "traceinsights.operation.health"))
        .hasLongGaugeSatisfying(
            gauge -> gauge.hasPointsSatisfying(point -> point.hasAttributes(ORDERS).hasValue(2)));
  }

  /** The attributes of an operation's series. */
  private static Attributes operation(String spanName, String spanKind) {
    return Attributes.builder().put("span.name", spanName).put("span.kind", spanKind).build();
  }

  /**
   * Asserts that the metric {@code name} is a histogram in seconds over {@link #BOUNDARIES} with
   * two points: {@link #ORDERS}, which {@code orders} checks further, and one 50 ms {@link
   * #SELECT}.
   */
  private static void assertSecondsHistogram(
      Collection<MetricData> metrics, String name, Consumer<HistogramPointAssert> orders) {
    assertThat(metric(metrics, name))
        .hasUnit("s")
        .hasHistogramSatisfying(
            histogram ->
                histogram.hasPointsSatisfying(
                    point ->
                        orders.accept(point.hasAttributes(ORDERS).hasBucketBoundaries(BOUNDARIES)),
                    point -> point.hasAttributes(SELECT).hasCount(1).hasSum(0.05)));
  }

  /**
   * Asserts that the metric {@code name} is a monotonic sum in {@code unit} with exactly one point
   * per entry of {@code values}, the point's attributes mapped to its value.
   */
  private static void assertCounter(
      Collection<MetricData> metrics, String name, String unit, Map<Attributes, Long> values) {
    List<Consumer<LongPointAssert>> points = new ArrayList<>();
    values.forEach(
        (attributes, value) ->
            points.add(point -> point.hasAttributes(attributes).hasValue(value)));
    assertThat(metric(metrics, name))
        .hasUnit(unit)
        .hasLongSumSatisfying(sum -> sum.isMonotonic().hasPointsSatisfying(points));
  }

  private static MetricData metric(Collection<MetricData> metrics, String name) {
    return metrics.stream()
        .filter(metric -> metric.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics));
  }
}
