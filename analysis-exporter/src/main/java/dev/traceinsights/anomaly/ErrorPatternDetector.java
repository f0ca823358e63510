package dev.traceinsights.anomaly;

import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.events.internal.FiringConditions;
import dev.traceinsights.stats.ErrorPattern;
import dev.traceinsights.stats.OperationKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link EventType#NEW_ERROR} and {@link EventType#ERROR_SPIKE} from the cumulative error patterns
 * of each observation; the error-pattern half of {@link AnomalyDetector}, single-threaded like it.
 */
final class ErrorPatternDetector {

  /** What is remembered of one fingerprint. */
  private static final class Tracked {
    long firstSeenEpochNanos;
    long lastTraceCount;
    final RecentValues increases;

    Tracked(ErrorPattern pattern, int historyWindows) {
      firstSeenEpochNanos = pattern.firstSeenEpochNanos();
      lastTraceCount = pattern.traceCount();
      increases = new RecentValues(historyWindows);
    }
  }

  private final Set<String> baseline;
  private final boolean hasBaseline;
  private final int historyWindows;
  private final int maxFingerprints;
  private final int minSpikeHistoryWindows;
  private final double spikeRatio;
  private final long minSpikeTraces;

  // Access order: the least recently observed fingerprint is evicted first when over the bound.
  private final LinkedHashMap<String, Tracked> tracked = new LinkedHashMap<>(16, 0.75f, true);
  // By fingerprint; fires at the first spiking window, resolves at the first that is not.
  private final FiringConditions<String> spikes =
      new FiringConditions<>(1, 1, /* repeatWhileFiring= */ false);
  private boolean learned;
  private long evictedFingerprints;

  ErrorPatternDetector(AnomalyDetectorBuilder builder) {
    this.baseline = builder.knownFingerprints == null ? Set.of() : builder.knownFingerprints;
    this.hasBaseline = builder.knownFingerprints != null;
    this.historyWindows = builder.historyWindows;
    this.maxFingerprints = builder.maxFingerprints;
    this.minSpikeHistoryWindows = builder.minSpikeHistoryWindows;
    this.spikeRatio = builder.spikeRatio;
    this.minSpikeTraces = builder.minSpikeTraces;
  }

  List<InsightEvent> observe(long nowEpochNanos, List<ErrorPattern> patterns) {
    List<InsightEvent> events = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (ErrorPattern pattern : patterns) {
      if (present.add(pattern.fingerprint())) {
        observe(nowEpochNanos, pattern, events);
      }
    }
    // A pattern missing from the input was evicted by the statistics as least recently seen: it
    // no longer occurs, so a spike on it is over.
    events.addAll(
        spikes.resolveAll(
            fingerprint -> !present.contains(fingerprint),
            nowEpochNanos,
            firing -> spikeOver(firing, "no longer recorded")));
    Iterator<String> eldestFirst = tracked.keySet().iterator();
    while (tracked.size() > maxFingerprints) {
      String evicted = eldestFirst.next();
      InsightEvent resolved =
          spikes.resolveNow(
              evicted, nowEpochNanos, firing -> spikeOver(firing, "no longer tracked"));
      if (resolved != null) {
        events.add(resolved);
      }
      eldestFirst.remove();
      evictedFingerprints++;
    }
    learned = true;
    return events;
  }

  private void observe(long now, ErrorPattern pattern, List<InsightEvent> events) {
    Tracked state = tracked.get(pattern.fingerprint());
    if (state == null) {
      state = new Tracked(pattern, historyWindows);
      tracked.put(pattern.fingerprint(), state);
      // Without a baseline the first observation only learns: everything already recorded then
      // would otherwise be "new" at every start.
      if ((learned || hasBaseline) && !baseline.contains(pattern.fingerprint())) {
        events.add(newError(now, pattern));
      }
      if (learned) {
        // Unknown at the previous observation: all its traces fell in this window.
        state.increases.add(pattern.traceCount());
      }
      return;
    }
    // The statistics restart a pattern's counts when they evicted it and it came back.
    boolean restarted =
        pattern.firstSeenEpochNanos() != state.firstSeenEpochNanos
            || pattern.traceCount() < state.lastTraceCount;
    long increase = restarted ? pattern.traceCount() : pattern.traceCount() - state.lastTraceCount;
    state.firstSeenEpochNanos = pattern.firstSeenEpochNanos();
    state.lastTraceCount = pattern.traceCount();

    double[] previous = state.increases.toArray();
    boolean spike = false;
    double median = 0;
    if (previous.length >= minSpikeHistoryWindows) {
      median = RobustScore.median(previous);
      spike = increase >= spikeRatio * median && increase >= minSpikeTraces;
    }
    InsightEvent event =
        spike
            ? spikes.holds(
                pattern.fingerprint(), spike(now, pattern, increase, median, previous.length))
            : spikes.clears(
                pattern.fingerprint(),
                now,
                firing -> spikeOver(firing, increase + " traces in the window"));
    if (event != null) {
      events.add(event);
    }
    // Not while the spike fires, like the live series: a lasting spike must not become the median,
    // until it has lasted a whole history: then it is the new rate, and is learnt anew.
    if (spikes.isFiring(pattern.fingerprint())) {
      if (spikes.firingWindows(pattern.fingerprint()) >= historyWindows) {
        InsightEvent usual =
            spikes.resolveNow(
                pattern.fingerprint(),
                now,
                firing -> spikeOver(firing, "the rate of the last " + historyWindows + " windows"));
        if (usual != null) {
          events.add(usual);
        }
        state.increases.clear();
        state.increases.add(increase);
      }
    } else {
      state.increases.add(increase);
    }
  }

  private InsightEvent newError(long now, ErrorPattern pattern) {
    OperationKey operation = pattern.operation();
    Map<String, Object> evidence = evidence(pattern);
    // An unseen failure in as many traces as make a spike is a broken path, not a stray exception.
    Severity severity = pattern.traceCount() >= minSpikeTraces ? Severity.HIGH : Severity.MEDIUM;
    return InsightEvent.builder(EventType.NEW_ERROR, operation)
        .setSeverity(severity)
        .setEpochNanos(now)
        .setTitle(
            String.format(
                Locale.ROOT,
                "%s: new error %s (%d traces)",
                operation.spanName(),
                pattern.errorType(),
                pattern.traceCount()))
        .setRecommendation(
            "A failure not seen before: open the example trace, then check what changed around its"
                + " first occurrence (deploy, configuration, a dependency).")
        .setEvidence(evidence)
        .setExampleTraceIds(List.of(pattern.exampleTraceId()))
        // One operation can fail in several ways at once.
        .setDedupSuffix(pattern.fingerprint())
        .build();
  }

  private InsightEvent spike(
      long now, ErrorPattern pattern, long increase, double median, int historyLength) {
    OperationKey operation = pattern.operation();
    Map<String, Object> evidence = evidence(pattern);
    evidence.put("traces_in_window", increase);
    evidence.put("median_previous", median);
    evidence.put("history_windows", (long) historyLength);
    // Ten times the usual count (counting a usual 0 as 1) is an incident; the rule's 3x a warning.
    Severity severity = increase >= 10 * Math.max(median, 1) ? Severity.HIGH : Severity.MEDIUM;
    return InsightEvent.builder(EventType.ERROR_SPIKE, operation)
        .setSeverity(severity)
        .setEpochNanos(now)
        .setTitle(
            String.format(
                Locale.ROOT,
                "%s: %s in %d traces this window, usually %.1f",
                operation.spanName(),
                pattern.errorType(),
                increase,
                median))
        .setRecommendation(
            "A known failure is suddenly more frequent: open the example trace and check the"
                + " dependency or input it points to.")
        .setEvidence(evidence)
        .setExampleTraceIds(List.of(pattern.exampleTraceId()))
        // One operation can fail in several ways at once.
        .setDedupSuffix(pattern.fingerprint())
        .build();
  }

  private static String spikeOver(InsightEvent firing, String why) {
    return firing.operation() + ": error spike over (" + why + ")";
  }

  /**
   * What both events carry; {@code trace_count} is cumulative, which for a new fingerprint is the
   * window's count (except against a baseline at the first observation: the count so far).
   */
  private static Map<String, Object> evidence(ErrorPattern pattern) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("fingerprint", pattern.fingerprint());
    evidence.put("error_type", pattern.errorType());
    evidence.put("sample_message", pattern.sampleMessage());
    evidence.put("operation", pattern.operation().spanName());
    evidence.put("trace_count", pattern.traceCount());
    return evidence;
  }

  int trackedFingerprints() {
    return tracked.size();
  }

  long evictedFingerprints() {
    return evictedFingerprints;
  }

  @Override
  public String toString() {
    return "ErrorPatternDetector{tracked="
        + tracked.size()
        + ", evicted="
        + evictedFingerprints
        + ", baseline="
        + baseline.size()
        + '}';
  }
}
