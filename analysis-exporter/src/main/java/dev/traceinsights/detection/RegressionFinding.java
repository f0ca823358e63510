package dev.traceinsights.detection;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.OperationKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An operation whose durations changed against its baseline, with the evidence.
 *
 * @param type {@link EventType#REGRESSION} (slower) or {@link EventType#IMPROVEMENT} (faster)
 * @param severity from the p50 change, lowered one step on weaker evidence
 * @param operation the operation
 * @param baseline the baseline side
 * @param current the current side
 * @param mannWhitneyU U of the current sample: pairs (current, baseline) where current is slower,
 *     ties counting half
 * @param pValue the one-sided Mann-Whitney p-value in the finding's direction
 * @param pValueAdjusted the Benjamini-Hochberg adjusted p-value across the round
 * @param exactPValue whether {@code pValue} is exact rather than the normal approximation
 * @param welchT Welch's t of the log-durations (current minus baseline)
 * @param welchDegreesOfFreedom Welch-Satterthwaite degrees of freedom
 * @param welchPValue one-sided p-value of Welch's t in the finding's direction
 * @param zScore the current mean against the baseline: {@code (mean_c - mean_b) / (sd_b /
 *     sqrt(n_c))}; NaN when the baseline's durations are all equal
 * @param effectSize Cliff's delta from U, {@code 2 U / (n_c n_b) - 1}, in [-1, 1]: positive when
 *     the current durations tend to be longer
 * @param exampleTraceIds trace ids of the slowest current calls, slowest first
 */
public record RegressionFinding(
    EventType type,
    Severity severity,
    OperationKey operation,
    DurationSummary baseline,
    DurationSummary current,
    double mannWhitneyU,
    double pValue,
    double pValueAdjusted,
    boolean exactPValue,
    double welchT,
    double welchDegreesOfFreedom,
    double welchPValue,
    double zScore,
    double effectSize,
    List<String> exampleTraceIds) {

  private static final double NANOS_PER_MILLI = 1_000_000.0;

  /** Errors per call must rise by this much, and double, to count as "error rate also up". */
  private static final double ERROR_RATE_RISE = 0.01;

  public RegressionFinding {
    requireNonNull(type, "type");
    requireNonNull(severity, "severity");
    requireNonNull(operation, "operation");
    requireNonNull(baseline, "baseline");
    requireNonNull(current, "current");
    exampleTraceIds = List.copyOf(requireNonNull(exampleTraceIds, "exampleTraceIds"));
    if (type != EventType.REGRESSION && type != EventType.IMPROVEMENT) {
      throw new IllegalArgumentException("type must be REGRESSION or IMPROVEMENT, was " + type);
    }
  }

  /** p50 change in percent of the baseline's; infinite when the baseline's p50 is 0. */
  public double p50ChangePercent() {
    return 100 * RegressionDetector.relativeChange(baseline.p50Nanos(), current.p50Nanos());
  }

  public double p95ChangePercent() {
    return 100 * RegressionDetector.relativeChange(baseline.p95Nanos(), current.p95Nanos());
  }

  public double p99ChangePercent() {
    return 100 * RegressionDetector.relativeChange(baseline.p99Nanos(), current.p99Nanos());
  }

  /** E.g. {@code GET /shop/inventory-report (server, frontend): p50 +30 % (305 ms → 396 ms)}. */
  public String title() {
    return operation.spanName()
        + " ("
        + operation.kind().name().toLowerCase(Locale.ROOT)
        + ", "
        + operation.serviceName()
        + "): p50 "
        + percent(p50ChangePercent())
        + " ("
        + millis(baseline.p50Nanos())
        + " → "
        + millis(current.p50Nanos())
        + ")";
  }

  /** What to look at first, by what changed: errors too, the tail, everything, or the typical. */
  public String recommendation() {
    double p50 = p50ChangePercent();
    double p99 = p99ChangePercent();
    if (type == EventType.IMPROVEMENT) {
      if (errorRateUp()) {
        return "Faster, but more calls fail ("
            + rate(baseline.errorRate())
            + " → "
            + rate(current.errorRate())
            + "): calls that fail early look fast; check the errors before celebrating.";
      }
      return "Faster than the baseline. If no change explains it, check that the operation still"
          + " does all its work (a skipped step, an empty result or a cache can look like a"
          + " speed-up).";
    }
    if (errorRateUp()) {
      return "More calls fail too ("
          + rate(baseline.errorRate())
          + " → "
          + rate(current.errorRate())
          + "): timeouts and retries often are the slowdown; start with the failing calls in the"
          + " example traces.";
    }
    if (p99 >= 2 * p50) {
      return "The tail grew most (p99 "
          + percent(p99)
          + ", p50 "
          + percent(p50)
          + "): look for waits that hit some calls only (locks, pools, queues, GC pauses, a slow"
          + " replica or retries); the example traces are the slowest calls.";
    }
    if (p99 < p50 / 2) {
      return "Typical calls got slower but the tail did not (p50 "
          + percent(p50)
          + ", p99 "
          + percent(p99)
          + "): a fixed cost was added to most calls, such as a new step, query or remote call;"
          + " compare an example trace with one from the baseline.";
    }
    return "The whole distribution shifted (p50 "
        + percent(p50)
        + ", p99 "
        + percent(p99)
        + "): something every call does got slower, such as a deployment, a changed query or a"
        + " slower dependency; compare an example trace with one from the baseline.";
  }

  private boolean errorRateUp() {
    double before = baseline.errorRate();
    double after = current.errorRate();
    return after - before >= ERROR_RATE_RISE && after >= 2 * before;
  }

  /**
   * The finding as an event: type, status firing, the usual dedup key, the title and
   * recommendation, the evidence under snake_case keys (figures that are not finite are left out)
   * and the example trace ids.
   */
  public InsightEvent toEvent(long epochNanos) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("mann_whitney.u", mannWhitneyU);
    putFinite(evidence, "mann_whitney.p_value", pValue);
    evidence.put("mann_whitney.exact", exactPValue);
    putFinite(evidence, "p_value_adjusted", pValueAdjusted);
    putFinite(evidence, "welch.t", welchT);
    putFinite(evidence, "welch.df", welchDegreesOfFreedom);
    putFinite(evidence, "welch.p_value", welchPValue);
    putFinite(evidence, "z_score", zScore);
    putFinite(evidence, "effect_size", effectSize);
    evidence.put("baseline.count", (long) baseline.count());
    evidence.put("current.count", (long) current.count());
    evidence.put("baseline.calls", baseline.calls());
    evidence.put("current.calls", current.calls());
    evidence.put("baseline.error_rate", baseline.errorRate());
    evidence.put("current.error_rate", current.errorRate());
    evidence.put("baseline.p50_ms", baseline.p50Nanos() / NANOS_PER_MILLI);
    evidence.put("current.p50_ms", current.p50Nanos() / NANOS_PER_MILLI);
    evidence.put("baseline.p95_ms", baseline.p95Nanos() / NANOS_PER_MILLI);
    evidence.put("current.p95_ms", current.p95Nanos() / NANOS_PER_MILLI);
    evidence.put("baseline.p99_ms", baseline.p99Nanos() / NANOS_PER_MILLI);
    evidence.put("current.p99_ms", current.p99Nanos() / NANOS_PER_MILLI);
    putFinite(evidence, "p50.change_percent", p50ChangePercent());
    putFinite(evidence, "p95.change_percent", p95ChangePercent());
    putFinite(evidence, "p99.change_percent", p99ChangePercent());
    return InsightEvent.builder(type, operation)
        .setSeverity(severity)
        .setEpochNanos(epochNanos)
        .setTitle(title())
        .setRecommendation(recommendation())
        .setEvidence(evidence)
        .setExampleTraceIds(exampleTraceIds)
        .build();
  }

  private static void putFinite(Map<String, Object> evidence, String key, double value) {
    if (Double.isFinite(value)) {
      evidence.put(key, value);
    }
  }

  /** {@code 305 ms}, {@code 12.5 ms}, {@code 1.25 ms}, {@code 0.125 ms}. */
  static String millis(double nanos) {
    double ms = nanos / NANOS_PER_MILLI;
    String pattern = ms >= 100 ? "%.0f ms" : ms >= 10 ? "%.1f ms" : ms >= 1 ? "%.2f ms" : "%.3f ms";
    return String.format(Locale.ROOT, pattern, ms);
  }

  /** {@code +30 %}, {@code -12 %}; {@code +∞ %} from 0. */
  static String percent(double percent) {
    if (Double.isInfinite(percent)) {
      return percent > 0 ? "+∞ %" : "-∞ %";
    }
    return String.format(Locale.ROOT, "%+d %%", Math.round(percent));
  }

  private static String rate(double rate) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * rate);
  }
}
