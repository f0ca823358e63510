package dev.traceinsights.trend;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.internal.BoundedOperations;
import dev.traceinsights.events.internal.FiringConditions;
import dev.traceinsights.events.internal.SampleQuantile;
import dev.traceinsights.internal.ThrottledLogger;
import dev.traceinsights.stats.OperationKey;
import dev.traceinsights.stats.OperationWindow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * Finds operations whose p95 latency rises steadily and forecasts when it crosses their threshold;
 * fed once per completed statistics window.
 *
 * <h2>Fit</h2>
 *
 * Per operation the p95s ({@link SampleQuantile}) of its last {@code historyWindows} windows with
 * at least {@code minCalls} calls (defaults 20 and 20), each placed at the middle of its window.
 * With at least {@code minPoints} of them (default 8), a {@linkplain LinearFit least-squares line}
 * of p95 (ms) over time (hours before the evaluation): its slope in ms/h with a Student-t interval
 * at {@code confidence} (default 95 %), R², and its value now.
 *
 * <h2>Verdict</h2>
 *
 * <ul>
 *   <li>{@link TrendVerdict#ALREADY_ABOVE} if the line is at or above the threshold now (default 1
 *       s, settable per operation);
 *   <li>else, if the slope's interval lies above 0, the line's crossing is forecast ({@link
 *       TrendFinding#forecast()}): {@link TrendVerdict#RISING_WILL_CROSS} if even the lower
 *       confidence bound of the line at the end of the horizon (default 1 h) reaches the threshold,
 *       {@link TrendVerdict#RISING} otherwise;
 *   <li>else {@link TrendVerdict#STABLE_OR_FALLING}.
 * </ul>
 *
 * <p>Why the lower bound at the horizon rather than the fitted crossing: 8 one-minute points
 * extrapolated by an hour leave the slope uncertain by several hundred ms/h, so a flat series just
 * below its threshold would cross "within the hour" whenever its slope came out significant. With
 * the fitted crossing, 11.8 % of flat series at 90 % of the threshold (5 % noise) and 1 % of those
 * at 50 % raised a TREND within 20 windows; with the bound, 5.2 % and 0.1 % ({@code
 * TrendAnalyzerPropertiesTest}). The bound's band widens with the distance from the data, so it
 * asks more of short series, and little of a steady ramp.
 *
 * <p>A flat series with independent normal noise is judged rising 2.5 % of the time (one side of a
 * 95 % interval) at each evaluation. Real p95s are correlated from window to window, which makes
 * the interval too narrow: more false rises than that.
 *
 * <h2>Events</h2>
 *
 * {@link TrendFinding#toEvent()}: a {@code TREND} event fires when an operation becomes {@link
 * TrendVerdict#RISING_WILL_CROSS} and resolves (same dedup key) at the first evaluation it no
 * longer is, or when its points age out. It does not fire again while the forecast moves.
 *
 * <h2>Bounds</h2>
 *
 * At most {@code maxOperations} operations (default 1000), first come first served; windows of
 * others are ignored and counted. An operation without a new point is still evaluated, its line
 * extrapolated to the evaluation, until its points are older than {@code historyWindows} window
 * lengths; without points it is forgotten. Overflow series ({@code _OTHER}) are not analysed.
 * Memory: 20 points of about 32 bytes and the deque, about 1 KiB per operation.
 *
 * <h2>Threads</h2>
 *
 * Not thread-safe: call {@link #observe} from one thread (the detection thread, once per window).
 * {@link #trends} may be read from any thread: it is the immutable result of the latest {@link
 * #observe}.
 */
public final class TrendAnalyzer {

  private static final Logger logger = Logger.getLogger(TrendAnalyzer.class.getName());

  private static final double QUANTILE = 0.95;
  private static final double NANOS_PER_HOUR = 3.6e12;
  private static final double NANOS_PER_MILLI = 1e6;

  /** One window's p95, at the middle of the window. */
  private record Point(long epochNanos, double p95Ms) {}

  private static final class OperationTrend {
    final ArrayDeque<Point> points = new ArrayDeque<>();
    List<String> exampleTraceIds = List.of();
  }

  private final int historyWindows;
  private final int minPoints;
  private final double thresholdMs;
  private final Map<OperationKey, Double> thresholdsMs = new HashMap<>();
  private final long horizonNanos;
  private final double confidence;
  private final long minCalls;
  private final int maxOperations;
  private final BoundedOperations<OperationTrend> operations;
  // Fires at the first window whose fit will cross, resolves at the first that does not.
  private final FiringConditions<OperationKey> rising =
      new FiringConditions<>(1, 1, /* repeatWhileFiring= */ false);
  private volatile List<TrendFinding> findings = List.of();
  private long windowNanos;

  public static TrendAnalyzerBuilder builder() {
    return new TrendAnalyzerBuilder();
  }

  TrendAnalyzer(TrendAnalyzerBuilder builder) {
    this.historyWindows = builder.historyWindows;
    this.minPoints = builder.minPoints;
    this.thresholdMs = builder.threshold.toNanos() / NANOS_PER_MILLI;
    builder.thresholds.forEach(
        (operation, threshold) ->
            thresholdsMs.put(operation, threshold.toNanos() / NANOS_PER_MILLI));
    this.horizonNanos = builder.horizon.toNanos();
    this.confidence = builder.confidence;
    this.minCalls = builder.minCalls;
    this.maxOperations = builder.maxOperations;
    this.operations =
        new BoundedOperations<>(
            builder.maxOperations, "Trend analysis", ThrottledLogger.of(logger));
  }

  /**
   * Adds one completed window's p95s, re-evaluates every tracked operation at {@code
   * windowEndEpochNanos}, and returns the TREND events that fired or resolved.
   *
   * @param windowEndEpochNanos end of the window: the time of the evaluation and the events
   * @param windows the operations' windows; a window not after an operation's previous one is
   *     ignored
   */
  public List<InsightEvent> observe(long windowEndEpochNanos, List<OperationWindow> windows) {
    requireNonNull(windows, "windows");
    for (OperationWindow window : windows) {
      add(window);
    }
    List<InsightEvent> events = new ArrayList<>();
    List<TrendFinding> latest = new ArrayList<>(operations.size());
    long oldest = windowEndEpochNanos - historyWindows * windowNanos;
    for (Iterator<Map.Entry<OperationKey, OperationTrend>> it = operations.iterator();
        it.hasNext(); ) {
      Map.Entry<OperationKey, OperationTrend> entry = it.next();
      OperationTrend trend = entry.getValue();
      while (!trend.points.isEmpty() && trend.points.getFirst().epochNanos() < oldest) {
        trend.points.removeFirst();
      }
      OperationKey key = entry.getKey();
      InsightEvent event;
      if (trend.points.isEmpty()) {
        event =
            rising.resolveNow(
                key,
                windowEndEpochNanos,
                firing -> key.spanName() + ": p95 trend ended: no recent p95s");
        it.remove();
      } else {
        TrendFinding finding = evaluate(key, trend, windowEndEpochNanos);
        latest.add(finding);
        event =
            finding.verdict() == TrendVerdict.RISING_WILL_CROSS
                ? rising.holds(key, finding.toEvent().orElseThrow())
                : rising.clears(key, windowEndEpochNanos, firing -> resolvedTitle(finding));
      }
      if (event != null) {
        events.add(event);
      }
    }
    findings = List.copyOf(latest);
    return events;
  }

  /** The findings of the latest {@link #observe}, one per tracked operation. */
  public List<TrendFinding> trends() {
    return findings;
  }

  /** Operations currently tracked. */
  public int trackedOperations() {
    return operations.size();
  }

  /** Windows ignored because {@code maxOperations} other operations were tracked. */
  public long ignoredOperationWindows() {
    return operations.refusedWindows();
  }

  private void add(OperationWindow window) {
    if (window.overflow()
        || window.calls() < minCalls
        || window.sampledDurationsNanos().length == 0) {
      return;
    }
    OperationTrend trend = operations.getOrCreate(window.operation(), key -> new OperationTrend());
    if (trend == null) {
      return;
    }
    long length = window.windowEndEpochNanos() - window.windowStartEpochNanos();
    long middle = window.windowStartEpochNanos() + length / 2;
    if (!trend.points.isEmpty() && middle <= trend.points.getLast().epochNanos()) {
      return;
    }
    windowNanos = length;
    double p95Ms =
        SampleQuantile.of(window.sampledDurationsNanos(), QUANTILE).valueNanos() / NANOS_PER_MILLI;
    trend.points.addLast(new Point(middle, p95Ms));
    if (trend.points.size() > historyWindows) {
      trend.points.removeFirst();
    }
    trend.exampleTraceIds = window.slowestTraceIds();
  }

  private TrendFinding evaluate(OperationKey operation, OperationTrend trend, long now) {
    double threshold = thresholdsMs.getOrDefault(operation, thresholdMs);
    int n = trend.points.size();
    if (n < minPoints) {
      return new TrendFinding(
          operation,
          n,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          threshold,
          OptionalLong.empty(),
          TrendVerdict.INSUFFICIENT_DATA,
          now,
          trend.exampleTraceIds);
    }
    double[] hours = new double[n];
    double[] p95Ms = new double[n];
    int i = 0;
    for (Point point : trend.points) {
      // Hours before now, so the intercept is the line's value now: no cancellation of epoch
      // nanos (1.7e18) in the fit.
      hours[i] = (point.epochNanos() - now) / NANOS_PER_HOUR;
      p95Ms[i] = point.p95Ms();
      i++;
    }
    LinearFit fit = LinearFit.of(hours, p95Ms, confidence);
    double fittedNow = fit.intercept();
    OptionalLong crossing = OptionalLong.empty();
    TrendVerdict verdict;
    if (fittedNow >= threshold) {
      verdict = TrendVerdict.ALREADY_ABOVE;
    } else if (fit.slopeCiLow() > 0) {
      double nanosToCrossing = (threshold - fittedNow) / fit.slope() * NANOS_PER_HOUR;
      // A barely positive slope puts the crossing beyond the year 2262: saturate.
      long ahead = (long) Math.min(nanosToCrossing, (double) (Long.MAX_VALUE - now));
      crossing = OptionalLong.of(now + ahead);
      // Within the horizon only if even the line's lower confidence bound there reaches the
      // threshold: a short noisy series extrapolated an hour is too uncertain to alert on.
      boolean boundReaches = fit.fittedLow(horizonNanos / NANOS_PER_HOUR) >= threshold;
      verdict = boundReaches ? TrendVerdict.RISING_WILL_CROSS : TrendVerdict.RISING;
    } else {
      verdict = TrendVerdict.STABLE_OR_FALLING;
    }
    return new TrendFinding(
        operation,
        n,
        fit.slope(),
        fit.slopeCiLow(),
        fit.slopeCiHigh(),
        fit.rSquared(),
        fittedNow,
        threshold,
        crossing,
        verdict,
        now,
        trend.exampleTraceIds);
  }

  private static String resolvedTitle(TrendFinding finding) {
    String why =
        switch (finding.verdict()) {
          case ALREADY_ABOVE -> "already above " + TrendFinding.formatMillis(finding.thresholdMs());
          case RISING -> "crossing now forecast beyond the horizon (" + finding.forecast() + ")";
          case STABLE_OR_FALLING -> "no longer rising significantly";
          case INSUFFICIENT_DATA -> "too few recent p95s";
          case RISING_WILL_CROSS -> throw new IllegalArgumentException("still rising");
        };
    return finding.operation().spanName() + ": p95 trend ended: " + why;
  }

  @Override
  public String toString() {
    return "TrendAnalyzer{historyWindows="
        + historyWindows
        + ", minPoints="
        + minPoints
        + ", thresholdMs="
        + thresholdMs
        + ", thresholdOverrides="
        + thresholdsMs.size()
        + ", horizonNanos="
        + horizonNanos
        + ", confidence="
        + confidence
        + ", minCalls="
        + minCalls
        + ", maxOperations="
        + maxOperations
        + ", trackedOperations="
        + operations.size()
        + ", ignoredOperationWindows="
        + operations.refusedWindows()
        + '}';
  }
}
