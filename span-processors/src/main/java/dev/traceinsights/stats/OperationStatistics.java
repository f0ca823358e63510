package dev.traceinsights.stats;

import static java.util.Objects.requireNonNull;

/**
 * One operation's statistics at the time of a {@link StatisticsSnapshot}. Totals count every span
 * recorded since the statistics were created; the {@code recent} values cover the previous and the
 * current window (see {@link LiveStatistics}). Quantiles are in nanoseconds, within 1 % of the
 * exact value (see {@link LiveStatistics} for the bound), and NaN when there is no value to take
 * them from.
 *
 * @param overflow an overflow series (span name {@code _OTHER}): the spans of every operation
 *     beyond the cardinality bound with this service and kind
 * @param calls spans recorded, analysed or not
 * @param errors of those, spans with status ERROR or an {@code exception} event
 * @param selfTimeP50Nanos self time is known for analysed spans only
 * @param allocatedBytes the sum of the spans' allocated-bytes measurements; each measurement covers
 *     the span's thread between its start and end, nested spans on that thread included
 * @param allocationMeasuredCalls spans that carried such a measurement
 * @param health judged from the recent window
 * @param recentDurationP95Nanos the p95 health is judged by: from the previous window, else the
 *     current one, each only with enough calls; NaN otherwise
 */
public record OperationStatistics(
    OperationKey operation,
    boolean overflow,
    long calls,
    long errors,
    double durationP50Nanos,
    double durationP90Nanos,
    double durationP95Nanos,
    double durationP99Nanos,
    double selfTimeP50Nanos,
    double selfTimeP99Nanos,
    long allocatedBytes,
    long allocationMeasuredCalls,
    Health health,
    long recentCalls,
    long recentErrors,
    double recentDurationP95Nanos) {

  public OperationStatistics {
    requireNonNull(operation, "operation");
    requireNonNull(health, "health");
  }

  /** {@code errors / calls}, 0 without calls. */
  public double errorRate() {
    return calls == 0 ? 0 : (double) errors / calls;
  }

  /** {@code recentErrors / recentCalls}, 0 without recent calls. */
  public double recentErrorRate() {
    return recentCalls == 0 ? 0 : (double) recentErrors / recentCalls;
  }
}
