package dev.traceinsights.stats;

import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.List;
import java.util.function.Consumer;

/**
 * The OpenTelemetry instruments of the live statistics. Only the two histograms are recorded per
 * span (a distribution cannot be observed afterwards), with the operation's cached attributes
 * ({@code span.name}, {@code span.kind}); the counters and the health gauge are asynchronous,
 * observed from the statistics' own totals when the metric reader collects, so they cost nothing
 * per span. {@code service.name} is left to the resource the MeterProvider puts on every metric, as
 * OpenTelemetry's conventions have it.
 */
final class OperationMetrics {

  static final String INSTRUMENTATION_SCOPE = "dev.traceinsights";
  static final String DURATION = "traceinsights.operation.duration";
  static final String SELF_TIME = "traceinsights.operation.self_time";
  static final String CALLS = "traceinsights.operation.calls";
  static final String ERRORS = "traceinsights.operation.errors";
  static final String ALLOCATION = "traceinsights.operation.allocation";
  static final String HEALTH = "traceinsights.operation.health";

  /** The boundaries the HTTP semantic conventions advise for durations in seconds. */
  static final List<Double> DURATION_BOUNDARIES =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private static final double NANOS_PER_SECOND = 1e9;

  private final DoubleHistogram duration;
  private final DoubleHistogram selfTime;
  // Held so that the callbacks stay registered as long as the statistics live.
  private final ObservableLongGauge health;
  private final BatchCallback totals;

  /** Observes the lifetime totals: calls, errors, allocated bytes, each by attributes. */
  interface TotalsCallback {
    void observe(
        ObservableLongMeasurement calls,
        ObservableLongMeasurement errors,
        ObservableLongMeasurement allocation);
  }

  OperationMetrics(
      MeterProvider meterProvider,
      Consumer<ObservableLongMeasurement> healthCallback,
      TotalsCallback totalsCallback) {
    Meter meter = meterProvider.get(INSTRUMENTATION_SCOPE);
    duration =
        meter
            .histogramBuilder(DURATION)
            .setUnit("s")
            .setDescription("Duration of the operation's spans.")
            .setExplicitBucketBoundariesAdvice(DURATION_BOUNDARIES)
            .build();
    selfTime =
        meter
            .histogramBuilder(SELF_TIME)
            .setUnit("s")
            .setDescription(
                "Self time of the operation's analysed spans: duration not covered by children.")
            .setExplicitBucketBoundariesAdvice(DURATION_BOUNDARIES)
            .build();
    ObservableLongMeasurement calls =
        meter
            .counterBuilder(CALLS)
            .setUnit("{call}")
            .setDescription("Spans of the operation.")
            .buildObserver();
    ObservableLongMeasurement errors =
        meter
            .counterBuilder(ERRORS)
            .setUnit("{error}")
            .setDescription("Spans of the operation with status ERROR or an exception event.")
            .buildObserver();
    ObservableLongMeasurement allocation =
        meter
            .counterBuilder(ALLOCATION)
            .setUnit("By")
            .setDescription("Bytes allocated by the operation's spans, where measured.")
            .buildObserver();
    totals =
        meter.batchCallback(
            () -> totalsCallback.observe(calls, errors, allocation), calls, errors, allocation);
    health =
        meter
            .gaugeBuilder(HEALTH)
            .ofLongs()
            .setUnit("1")
            .setDescription(
                "Health of the operation in the recent window: 0 healthy, 1 warning, 2 critical.")
            .buildWithCallback(healthCallback);
  }

  /**
   * @param selfTimeNanos negative when unknown
   */
  void record(OperationAccumulator operation, long durationNanos, long selfTimeNanos) {
    duration.record(durationNanos / NANOS_PER_SECOND, operation.attributes);
    if (selfTimeNanos >= 0) {
      selfTime.record(selfTimeNanos / NANOS_PER_SECOND, operation.attributes);
    }
  }

  @Override
  public String toString() {
    return "OperationMetrics{scope="
        + INSTRUMENTATION_SCOPE
        + ", health="
        + health
        + ", totals="
        + totals
        + '}';
  }
}
