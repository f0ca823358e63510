package dev.traceinsights.anomaly;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.events.internal.BoundedOperations;
import dev.traceinsights.events.internal.SampleQuantile;
import dev.traceinsights.internal.ThrottledLogger;
import dev.traceinsights.stats.ErrorPattern;
import dev.traceinsights.stats.OperationKey;
import dev.traceinsights.stats.OperationWindow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Flags live series of an operation that leave their recent range, and error fingerprints that are
 * new or spike; fed once per completed statistics window.
 *
 * <h2>Series and scores</h2>
 *
 * Per operation three {@link Series}: the p95 latency of the window's duration sample ({@link
 * SampleQuantile}: the sample of rank {@code floor(0.95 * (n - 1))}), the error rate, and the calls
 * (0 in a window the operation is absent from). Each new value is scored against the last {@code
 * historyWindows} values (default 30) with a {@linkplain RobustScore robust z-score} {@code (x -
 * median) / max(1.4826 * MAD, floor)}, the floor being the value's own sampling noise (standard
 * error of the sample p95, binomial for the error rate, Poisson for calls) and at least 1 % of the
 * median (see {@link Series}). Median and MAD rather than an EWMA: an EWMA's centre and spread are
 * dragged by every outlier and need a smoothing constant tuned per series; the median of 30 windows
 * ignores up to 14 outliers and has no parameter.
 *
 * <p>A series is scored once it has {@code minHistoryWindows} values (default 10); the p95 and the
 * error rate only of windows with at least {@code minCalls} calls (default 20), and only such
 * windows enter their history. Anomalous is {@code z >= threshold} (default 5, see {@link
 * AnomalyDetectorBuilder#DEFAULT_THRESHOLD}) for latency and error rate, {@code |z| >= threshold}
 * for throughput.
 *
 * <h2>Confirmation</h2>
 *
 * A score of at least twice the threshold fires at once; a smaller one fires only if the series'
 * next scored window is anomalous in the same direction too. The MAD of 10 to 30 points is itself
 * uncertain, so single scores of 5 to 10 are far likelier than a Gaussian tail says (Gaussian data
 * with 10 points of history exceed z = 5 about once in 200 scores, not once in 3.5 million). In the
 * A/A simulation of {@code AnomalyDetectorFalseAlarmTest} single windows reached 5 to 9, never 10,
 * about once in 12,500 scores; the second window removed them all, at the price of one window's
 * delay for small anomalies only.
 *
 * <h2>Events</h2>
 *
 * An anomaly fires once ({@link EventType#ANOMALY}, dedup key {@code
 * anomaly|service|operation|kind|series}) and resolves (same key) at the first scored window back
 * within the threshold, or when its direction flips (then the other direction may fire). While an
 * anomaly fires, the series' values are not added to its history: a lasting shift would otherwise
 * become the history's median after half of it (15 windows by default) and resolve itself while
 * still there. A shift stays firing until the series returns; one that fires for {@code
 * historyWindows} scored windows in a row (30: half an hour of one-minute windows) is the new
 * normal, resolved as such, and the series' history starts anew from it (scored again after {@code
 * minHistoryWindows}). An operation that is forgotten (below) resolves what still fires. Severity
 * grows with |z|: LOW from the threshold, MEDIUM from twice, HIGH from four times it; an error rate
 * of at least 20 % and a throughput of 0 are at least HIGH.
 *
 * <p>Error patterns ({@link EventType#NEW_ERROR}, {@link EventType#ERROR_SPIKE}): see {@link
 * #observe}.
 *
 * <h2>Bounds</h2>
 *
 * At most {@code maxOperations} operations (default 1000), first come first served; windows of
 * others are ignored and counted ({@link #ignoredOperationWindows}). An operation absent for {@code
 * historyWindows} consecutive observations is forgotten (its firing anomalies resolved), freeing
 * its place. Overflow series ({@code _OTHER}) are not scored: their mix of operations changes as
 * operations come and go. Memory: three rings of 30 doubles per operation, about 1 KiB; 1 MiB for
 * 1000 operations. At most {@code maxFingerprints} fingerprints (default 1000), each with a ring of
 * 30 doubles and its key.
 *
 * <h2>Threads</h2>
 *
 * Not thread-safe: call {@link #observe} from one thread (the detection thread, once per window).
 */
public final class AnomalyDetector {

  private static final Logger logger = Logger.getLogger(AnomalyDetector.class.getName());

  private static final double LATENCY_QUANTILE = 0.95;
  private static final double NANOS_PER_MILLI = 1e6;
  private static final double HIGH_ERROR_RATE = 0.20;
  private static final int MAX_EXAMPLE_TRACE_IDS = 3;
  private static final double CONFIRMED_AT = 2;
  private static final int[] DIRECTIONS = {1, -1};

  private final double threshold;
  private final int historyWindows;
  private final int minHistoryWindows;
  private final long minCalls;
  private final int maxOperations;
  private final BoundedOperations<OperationSeries> operations;
  private final ErrorPatternDetector errorPatterns;
  private long scoredValues;

  public static AnomalyDetectorBuilder builder() {
    return new AnomalyDetectorBuilder();
  }

  AnomalyDetector(AnomalyDetectorBuilder builder) {
    this.threshold = builder.threshold;
    this.historyWindows = builder.historyWindows;
    this.minHistoryWindows = builder.minHistoryWindows;
    this.minCalls = builder.minCalls;
    this.maxOperations = builder.maxOperations;
    this.operations =
        new BoundedOperations<>(
            builder.maxOperations, "Anomaly detection", ThrottledLogger.of(logger));
    this.errorPatterns = new ErrorPatternDetector(builder);
  }

  /**
   * Scores one completed window and returns what fired or resolved, operations' anomalies first (in
   * the order of {@code windows}, then absent operations), then error patterns.
   *
   * <p>Error patterns: {@link EventType#NEW_ERROR} (once; nothing resolves it) for a fingerprint
   * not known, known being those remembered from earlier observations (the last {@code
   * maxFingerprints}, which include all of the previous observation) plus the builder's {@linkplain
   * AnomalyDetectorBuilder#setKnownFingerprints known fingerprints}. Without those, the first
   * observation only learns: at start every pattern recorded so far would otherwise be new. {@link
   * EventType#ERROR_SPIKE} when a fingerprint's new traces this window (the increase of its {@code
   * traceCount}) are at least {@code ratio} × the median of its earlier windows' and at least
   * {@code minTraces}, once it has {@code minHistoryWindows} of them (defaults 3, 10, 5); resolved
   * when the rule no longer holds or the pattern leaves the input.
   *
   * @param windowEndEpochNanos end of the window, the events' time
   * @param windows the operations' windows; an operation missing had no calls
   * @param errorPatterns the current cumulative error patterns
   */
  public List<InsightEvent> observe(
      long windowEndEpochNanos, List<OperationWindow> windows, List<ErrorPattern> errorPatterns) {
    requireNonNull(windows, "windows");
    requireNonNull(errorPatterns, "errorPatterns");
    List<InsightEvent> events = new ArrayList<>();
    Set<OperationKey> present = new HashSet<>();
    for (OperationWindow window : windows) {
      if (window.overflow() || !present.add(window.operation())) {
        continue;
      }
      OperationSeries operation =
          operations.getOrCreate(window.operation(), key -> new OperationSeries(historyWindows));
      if (operation == null) {
        continue;
      }
      operation.absentWindows = 0;
      observe(windowEndEpochNanos, window, operation, errorPatterns, events);
    }
    for (Iterator<Map.Entry<OperationKey, OperationSeries>> it = operations.iterator();
        it.hasNext(); ) {
      Map.Entry<OperationKey, OperationSeries> entry = it.next();
      if (present.contains(entry.getKey())) {
        continue;
      }
      OperationSeries operation = entry.getValue();
      score(
          windowEndEpochNanos,
          entry.getKey(),
          operation,
          new Value(Series.THROUGHPUT, 0, 0, 0, List.of()),
          events);
      if (++operation.absentWindows >= historyWindows) {
        events.addAll(
            operation.conditions.resolveAll(
                condition -> true,
                windowEndEpochNanos,
                firing ->
                    entry.getKey().spanName()
                        + ": no calls for "
                        + historyWindows
                        + " windows, no longer tracked"));
        it.remove();
      }
    }
    events.addAll(this.errorPatterns.observe(windowEndEpochNanos, errorPatterns));
    return events;
  }

  private void observe(
      long now,
      OperationWindow window,
      OperationSeries operation,
      List<ErrorPattern> errorPatterns,
      List<InsightEvent> events) {
    OperationKey key = window.operation();
    long calls = window.calls();
    if (calls >= minCalls && window.sampledDurationsNanos().length > 0) {
      long[] sample = window.sampledDurationsNanos();
      SampleQuantile p95 = SampleQuantile.of(sample, LATENCY_QUANTILE);
      double p95Ms = p95.valueNanos() / NANOS_PER_MILLI;
      double seMs = p95.standardErrorNanos() / NANOS_PER_MILLI;
      score(
          now,
          key,
          operation,
          new Value(Series.P95_LATENCY, p95Ms, calls, seMs, window.slowestTraceIds()),
          events);
    }
    if (calls >= minCalls) {
      List<String> failing = failingTraceIds(window, errorPatterns);
      score(
          now,
          key,
          operation,
          new Value(Series.ERROR_RATE, window.errorRate(), calls, 0, failing),
          events);
    }
    score(
        now,
        key,
        operation,
        new Value(Series.THROUGHPUT, calls, calls, 0, window.slowestTraceIds()),
        events);
  }

  /**
   * One window's value of a series.
   *
   * @param calls the window's calls
   * @param standardError the value's own sampling error where the series has one apart (the p95),
   *     else 0
   * @param exampleTraceIds for an event
   */
  private record Value(
      Series series,
      double value,
      long calls,
      double standardError,
      List<String> exampleTraceIds) {}

  private void score(
      long now,
      OperationKey key,
      OperationSeries operation,
      Value observed,
      List<InsightEvent> events) {
    Series series = observed.series();
    double value = observed.value();
    RecentValues history = operation.history(series);
    if (history.size() >= minHistoryWindows) {
      RobustScore score =
          RobustScore.of(
              history.toArray(),
              value,
              median -> series.minScale(median, observed.calls(), observed.standardError()));
      scoredValues++;
      int direction = series.direction(score.z(), threshold);
      for (int other : DIRECTIONS) {
        if (other != direction) {
          InsightEvent resolved =
              operation.conditions.clears(
                  new OperationSeries.Condition(series, other),
                  now,
                  firing ->
                      String.format(
                          Locale.ROOT,
                          "%s: %s no longer anomalous (%s, usually %s)",
                          key.spanName(),
                          series.description(),
                          format(series, value),
                          format(series, score.median())));
          if (resolved != null) {
            events.add(resolved);
          }
        }
      }
      if (direction != 0) {
        // A score below twice the threshold waits for the next scored window to agree: see the
        // class comment.
        InsightEvent fired =
            operation.conditions.holds(
                new OperationSeries.Condition(series, direction),
                anomaly(now, key, observed, score, history.size()),
                Math.abs(score.z()) >= CONFIRMED_AT * threshold);
        if (fired != null) {
          events.add(fired);
        }
      }
      if (direction != 0
          && operation.conditions.firingWindows(new OperationSeries.Condition(series, direction))
              >= historyWindows) {
        // It has lasted a whole history: the new normal. Resolve it and learn the series anew.
        events.addAll(
            operation.conditions.resolveAll(
                condition -> condition.series() == series,
                now,
                firing ->
                    String.format(
                        Locale.ROOT,
                        "%s: %s %s for %d windows, now the usual",
                        key.spanName(),
                        series.description(),
                        format(series, value),
                        historyWindows)));
        history.clear();
      }
    }
    // Not while the series' anomaly fires: see the class comment.
    if (!operation.isFiring(series)) {
      history.add(value);
    }
  }

  private InsightEvent anomaly(
      long now, OperationKey key, Value observed, RobustScore score, int historyLength) {
    Series series = observed.series();
    double value = observed.value();
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("series", series.label());
    evidence.put("unit", series.unit());
    evidence.put("value", value);
    evidence.put("median", score.median());
    evidence.put("mad", score.mad());
    evidence.put("scale", score.scale());
    evidence.put("robust_z", score.z());
    evidence.put("threshold", threshold);
    evidence.put("history_windows", (long) historyLength);
    evidence.put("calls", observed.calls());
    return InsightEvent.builder(EventType.ANOMALY, key)
        .setSeverity(severity(series, score.z(), value))
        .setEpochNanos(now)
        .setTitle(
            String.format(
                Locale.ROOT,
                "%s: %s %s, usually %s (robust z %.1f)",
                key.spanName(),
                series.description(),
                format(series, value),
                format(series, score.median()),
                score.z()))
        .setRecommendation(recommendation(series, score.z()))
        .setEvidence(evidence)
        .setExampleTraceIds(observed.exampleTraceIds())
        .setDedupSuffix(series.label())
        .build();
  }

  /** LOW from the threshold, MEDIUM from 2×, HIGH from 4×; raised for outage-like values. */
  Severity severity(Series series, double z, double value) {
    double magnitude = Math.abs(z);
    Severity severity =
        magnitude >= 4 * threshold
            ? Severity.HIGH
            : magnitude >= 2 * threshold ? Severity.MEDIUM : Severity.LOW;
    boolean outageLike =
        (series == Series.ERROR_RATE && value >= HIGH_ERROR_RATE)
            || (series == Series.THROUGHPUT && value == 0);
    return outageLike && !severity.atLeast(Severity.HIGH) ? Severity.HIGH : severity;
  }

  private static String recommendation(Series series, double z) {
    return switch (series) {
      case P95_LATENCY ->
          "Open the example traces (the window's slowest) and compare their critical path with a"
              + " usual one; check recent deploys and the operation's dependencies.";
      case ERROR_RATE ->
          "Open the example traces to see which span failed first; a NEW_ERROR or ERROR_SPIKE"
              + " event of the same window names the failure.";
      case THROUGHPUT ->
          z < 0
              ? "Check the callers, load balancer and health checks: a drop in calls is often the"
                  + " first sign of an outage upstream (or of lost instrumentation)."
              : "Look for a retry storm, a new client or a load test: more calls often precede"
                  + " saturation.";
    };
  }

  /** Example traces of the window's failures (from the error patterns), then its slowest. */
  private static List<String> failingTraceIds(
      OperationWindow window, List<ErrorPattern> errorPatterns) {
    Set<String> ids = new LinkedHashSet<>();
    for (ErrorPattern pattern : errorPatterns) {
      if (pattern.operation().equals(window.operation())
          && pattern.lastSeenEpochNanos() >= window.windowStartEpochNanos()) {
        ids.add(pattern.exampleTraceId());
      }
    }
    ids.addAll(window.slowestTraceIds());
    return ids.stream().limit(MAX_EXAMPLE_TRACE_IDS).toList();
  }

  private static String format(Series series, double value) {
    return switch (series) {
      case P95_LATENCY ->
          value >= 1000
              ? String.format(Locale.ROOT, "%.2f s", value / 1000)
              : String.format(Locale.ROOT, "%.1f ms", value);
      case ERROR_RATE -> String.format(Locale.ROOT, "%.1f %%", value * 100);
      case THROUGHPUT -> String.format(Locale.ROOT, "%.0f calls", value);
    };
  }

  /** Operations currently tracked. */
  public int trackedOperations() {
    return operations.size();
  }

  /** Windows ignored because {@code maxOperations} other operations were tracked. */
  public long ignoredOperationWindows() {
    return operations.refusedWindows();
  }

  /** Values scored against a history so far: the denominator of a false-alarm rate. */
  long scoredValues() {
    return scoredValues;
  }

  @Override
  public String toString() {
    return "AnomalyDetector{threshold="
        + threshold
        + ", historyWindows="
        + historyWindows
        + ", minHistoryWindows="
        + minHistoryWindows
        + ", minCalls="
        + minCalls
        + ", maxOperations="
        + maxOperations
        + ", trackedOperations="
        + operations.size()
        + ", ignoredOperationWindows="
        + operations.refusedWindows()
        + ", scoredValues="
        + scoredValues
        + ", "
        + errorPatterns
        + '}';
  }
}
