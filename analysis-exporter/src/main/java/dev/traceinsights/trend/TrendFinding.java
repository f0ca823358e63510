package dev.traceinsights.trend;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.OperationKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * An operation's p95 trend at one evaluation: the least-squares line through its recent p95s (time
 * in hours before {@code evaluatedAtEpochNanos}), and what it forecasts.
 *
 * @param operation the operation
 * @param points p95s the line rests on
 * @param slopeMsPerHour the line's slope; NaN when {@link TrendVerdict#INSUFFICIENT_DATA}, as are
 *     the other figures
 * @param ciLowMsPerHour lower bound of the slope's confidence interval (Student's t, n - 2 df)
 * @param ciHighMsPerHour upper bound
 * @param rSquared share of the p95s' variance the line explains
 * @param currentFittedMs the line's value at {@code evaluatedAtEpochNanos}
 * @param thresholdMs the p95 the forecast is about
 * @param forecastCrossingEpochNanos when the line reaches the threshold; present for {@link
 *     TrendVerdict#RISING_WILL_CROSS} and {@link TrendVerdict#RISING} only
 * @param verdict the conclusion
 * @param evaluatedAtEpochNanos end of the window of the evaluation
 * @param exampleTraceIds the slowest traces of the operation's latest window
 */
public record TrendFinding(
    OperationKey operation,
    int points,
    double slopeMsPerHour,
    double ciLowMsPerHour,
    double ciHighMsPerHour,
    double rSquared,
    double currentFittedMs,
    double thresholdMs,
    OptionalLong forecastCrossingEpochNanos,
    TrendVerdict verdict,
    long evaluatedAtEpochNanos,
    List<String> exampleTraceIds) {

  private static final double NANOS_PER_MINUTE = 60e9;

  public TrendFinding {
    requireNonNull(operation, "operation");
    requireNonNull(forecastCrossingEpochNanos, "forecastCrossingEpochNanos");
    requireNonNull(verdict, "verdict");
    exampleTraceIds = List.copyOf(requireNonNull(exampleTraceIds, "exampleTraceIds"));
  }

  /** Minutes from the evaluation to the forecast crossing; empty without a forecast. */
  public OptionalDouble minutesToThreshold() {
    if (forecastCrossingEpochNanos.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        (forecastCrossingEpochNanos.getAsLong() - evaluatedAtEpochNanos) / NANOS_PER_MINUTE);
  }

  /**
   * The forecast for a person: {@code "in 30 minutes"}, or {@code "not forecast to cross: ..."}
   * with the reason.
   */
  public String forecast() {
    return switch (verdict) {
      case RISING_WILL_CROSS, RISING ->
          String.format(Locale.ROOT, "in %.0f minutes", minutesToThreshold().orElseThrow());
      case ALREADY_ABOVE ->
          String.format(
              Locale.ROOT,
              "not forecast to cross: already above (fitted %s, threshold %s)",
              formatMillis(currentFittedMs),
              formatMillis(thresholdMs));
      case STABLE_OR_FALLING ->
          String.format(
              Locale.ROOT,
              "not forecast to cross: slope not significantly positive (%.1f ms/h, interval %.1f to"
                  + " %.1f)",
              slopeMsPerHour,
              ciLowMsPerHour,
              ciHighMsPerHour);
      case INSUFFICIENT_DATA ->
          "not forecast to cross: only " + points + " recent p95s, too few for a trend";
    };
  }

  /**
   * The {@link EventType#TREND} event of a {@link TrendVerdict#RISING_WILL_CROSS} finding (empty
   * for any other): severity HIGH when the crossing is under 15 minutes away, MEDIUM under an hour,
   * LOW beyond (a horizon set longer than an hour).
   */
  public Optional<InsightEvent> toEvent() {
    if (verdict != TrendVerdict.RISING_WILL_CROSS) {
      return Optional.empty();
    }
    double minutes = minutesToThreshold().orElseThrow();
    Severity severity =
        minutes < 15 ? Severity.HIGH : minutes < 60 ? Severity.MEDIUM : Severity.LOW;
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("slope_ms_per_hour", slopeMsPerHour);
    evidence.put("ci_low_ms_per_hour", ciLowMsPerHour);
    evidence.put("ci_high_ms_per_hour", ciHighMsPerHour);
    evidence.put("r_squared", rSquared);
    evidence.put("current_fitted_ms", currentFittedMs);
    evidence.put("threshold_ms", thresholdMs);
    evidence.put("points", (long) points);
    evidence.put("minutes_to_threshold", minutes);
    evidence.put("forecast_crossing_epoch_nanos", forecastCrossingEpochNanos.getAsLong());
    return Optional.of(
        InsightEvent.builder(EventType.TREND, operation)
            .setSeverity(severity)
            .setEpochNanos(evaluatedAtEpochNanos)
            .setTitle(
                String.format(
                    Locale.ROOT,
                    "%s: p95 rising %.0f ms/h, forecast to reach %s %s",
                    operation.spanName(),
                    slopeMsPerHour,
                    formatMillis(thresholdMs),
                    forecast()))
            .setRecommendation(
                "Latency climbs steadily rather than jumping: look for something that grows (a queue,"
                    + " a cache or table, a connection pool, heap and GC) and compare an early trace"
                    + " with a recent one.")
            .setEvidence(evidence)
            .setExampleTraceIds(exampleTraceIds)
            .build());
  }

  static String formatMillis(double millis) {
    return millis >= 1000
        ? String.format(Locale.ROOT, "%.2f s", millis / 1000)
        : String.format(Locale.ROOT, "%.1f ms", millis);
  }
}
