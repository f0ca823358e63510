package dev.traceinsights.tail;

import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.internal.TraceIdRatio;
import dev.traceinsights.stats.OperationKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Decides, once a local trace is complete and analysed, whether it is exported: the in-process
 * counterpart of the Collector's tail sampling, without holding whole traces for 30 seconds in
 * another tier.
 *
 * <p>A trace the head sampler already sampled is always kept ({@link KeepReason#HEAD}): tail
 * decisions only add traces that head sampling recorded but did not sample (see {@code
 * RecordingSampler}). Such a trace is kept for the first policy that matches, in the order of
 * {@link KeepReason}: an error, slow (at least the absolute threshold, or above its operation's
 * live percentile), a bottleneck of a chosen category, N+1, a rare operation, or the trace id
 * falling within the probability. Kept traces are capped per second; the cap drops the rest as
 * {@link DropReason#RATE_LIMITED}.
 *
 * <p>Not thread-safe: the analysis thread is its only caller. {@link #stats()} is readable from any
 * thread.
 */
public final class TailSampler {

  /**
   * Decisions remembered for late spans, most recent first. At about 120 bytes each this is 1 MB;
   * at 1 000 traces a second it covers late spans for 8 seconds, far more than the grace period.
   */
  static final int REMEMBERED_DECISIONS = 8192;

  private final boolean keepHeadSampled;
  private final boolean keepErrors;
  private final long slowThresholdNanos;
  private final double slowQuantile;
  private final Set<BottleneckCategory> bottleneckCategories;
  private final boolean keepNPlusOne;
  private final long rareThreshold;
  private final double probability;
  private final long probabilisticBound;
  private final double maxKeptPerSecond;
  private final KeptTraceRateLimiter rateLimiter;
  private final TailSamplingStats stats = new TailSamplingStats();
  private final Map<String, TailDecision> decided =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TailDecision> eldest) {
          return size() > REMEMBERED_DECISIONS;
        }
      };

  TailSampler(TailSamplerBuilder builder) {
    this.keepHeadSampled = builder.keepHeadSampled;
    this.keepErrors = builder.keepErrors;
    this.slowThresholdNanos = builder.slowThreshold.toNanos();
    this.slowQuantile = builder.slowPercentile / 100.0;
    this.bottleneckCategories =
        builder.bottleneckCategories.isEmpty()
            ? Set.of()
            : EnumSet.copyOf(builder.bottleneckCategories);
    this.keepNPlusOne = builder.keepNPlusOne;
    this.rareThreshold = builder.rareThreshold;
    this.probability = builder.probability;
    this.probabilisticBound = TraceIdRatio.upperBound(builder.probability);
    this.maxKeptPerSecond = builder.maxKeptPerSecond;
    this.rateLimiter = new KeptTraceRateLimiter(builder.maxKeptPerSecond);
  }

  public static TailSamplerBuilder builder() {
    return new TailSamplerBuilder();
  }

  /** Every policy at its default: see {@link TailSamplerBuilder}. */
  public static TailSampler create() {
    return builder().build();
  }

  /**
   * Decides for one analysed local trace, counts the decision and remembers it for the trace's late
   * spans.
   *
   * @param localRoot the local trace's root span
   * @param history the operations' recent past, for the percentile and rarity policies
   * @param nowNanos the current {@code Clock#nanoTime()}, for the rate cap
   */
  public TailDecision decide(
      TraceAnalysis analysis, SpanData localRoot, OperationHistory history, long nowNanos) {
    TailDecision decision = evaluate(analysis, localRoot, history, nowNanos);
    stats.record(decision, analysis.spans().size());
    decided.put(analysis.traceId(), decision);
    return decision;
  }

  /**
   * The decision on a recently decided trace, for a span that arrives afterwards; null when the
   * trace is not (or no longer) remembered.
   */
  @Nullable
  public TailDecision decisionFor(String traceId) {
    return decided.get(traceId);
  }

  /** Counts a late span that followed its trace's decision. */
  public void recordLate(TailDecision decision) {
    stats.recordLate(decision.isKept());
  }

  public TailSamplingStats stats() {
    return stats;
  }

  private TailDecision evaluate(
      TraceAnalysis analysis, SpanData localRoot, OperationHistory history, long nowNanos) {
    if (keepHeadSampled && localRoot.getSpanContext().isSampled()) {
      return TailDecision.keep(KeepReason.HEAD);
    }
    KeepReason reason = firstMatch(analysis, localRoot, history);
    if (reason == null) {
      return TailDecision.drop(DropReason.NOT_SELECTED);
    }
    if (!rateLimiter.tryAcquire(nowNanos)) {
      return TailDecision.drop(DropReason.RATE_LIMITED);
    }
    return TailDecision.keep(reason);
  }

  @Nullable
  private KeepReason firstMatch(
      TraceAnalysis analysis, SpanData localRoot, OperationHistory history) {
    if (keepErrors && analysis.totals().errorCount() > 0) {
      return KeepReason.ERROR;
    }
    if (isSlow(localRoot, history)) {
      return KeepReason.SLOW;
    }
    if (!bottleneckCategories.isEmpty()) {
      for (Bottleneck bottleneck : analysis.bottlenecks()) {
        if (bottleneckCategories.contains(bottleneck.category())) {
          return KeepReason.BOTTLENECK;
        }
      }
    }
    if (keepNPlusOne && !analysis.nPlusOne().isEmpty()) {
      return KeepReason.N_PLUS_ONE;
    }
    if (rareThreshold > 0 && history.recentCalls(OperationKey.of(localRoot)) < rareThreshold) {
      return KeepReason.RARE;
    }
    if (probability > 0 && TraceIdRatio.includes(analysis.traceId(), probabilisticBound)) {
      return KeepReason.PROBABILISTIC;
    }
    return null;
  }

  private boolean isSlow(SpanData localRoot, OperationHistory history) {
    long duration = localRoot.getEndEpochNanos() - localRoot.getStartEpochNanos();
    if (slowThresholdNanos > 0 && duration >= slowThresholdNanos) {
      return true;
    }
    if (slowQuantile > 0) {
      double usual = history.durationQuantileNanos(OperationKey.of(localRoot), slowQuantile);
      // NaN (too few calls to know) compares false: no trace counts as slow on no evidence.
      return duration > usual;
    }
    return false;
  }

  @Override
  public String toString() {
    return "TailSampler{keepErrors="
        + keepErrors
        + ", slowThresholdNanos="
        + slowThresholdNanos
        + ", slowQuantile="
        + slowQuantile
        + ", bottleneckCategories="
        + bottleneckCategories
        + ", keepNPlusOne="
        + keepNPlusOne
        + ", rareThreshold="
        + rareThreshold
        + ", probability="
        + probability
        + ", maxKeptPerSecond="
        + maxKeptPerSecond
        + ", stats="
        + stats
        + '}';
  }
}
