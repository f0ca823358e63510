package dev.traceinsights.tail;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.BottleneckCategory;
import java.time.Duration;
import java.util.Set;

/** Builds a {@link TailSampler}; every policy has a default and can be switched off. */
public final class TailSamplerBuilder {

  public static final Duration DEFAULT_SLOW_THRESHOLD = Duration.ofSeconds(1);
  public static final double DEFAULT_SLOW_PERCENTILE = 99;
  public static final int DEFAULT_RARE_THRESHOLD = 5;
  public static final double DEFAULT_MAX_KEPT_PER_SECOND = 100;

  boolean keepErrors = true;
  boolean keepHeadSampled = true;
  Duration slowThreshold = DEFAULT_SLOW_THRESHOLD;
  double slowPercentile = DEFAULT_SLOW_PERCENTILE;
  Set<BottleneckCategory> bottleneckCategories = Set.of();
  boolean keepNPlusOne = true;
  int rareThreshold = DEFAULT_RARE_THRESHOLD;
  double probability;
  double maxKeptPerSecond = DEFAULT_MAX_KEPT_PER_SECOND;

  TailSamplerBuilder() {}

  /**
   * Keep every trace the head sampler sampled, as {@link KeepReason#HEAD}. Default true: in
   * process, tail decisions only add to head sampling. A collector, which receives only what the
   * services' head samplers sampled and is itself the one that decides, sets false.
   */
  public TailSamplerBuilder setKeepHeadSampled(boolean keepHeadSampled) {
    this.keepHeadSampled = keepHeadSampled;
    return this;
  }

  /** Keep traces in which any span errored. Default true. */
  public TailSamplerBuilder setKeepErrors(boolean keepErrors) {
    this.keepErrors = keepErrors;
    return this;
  }

  /** Keep traces whose local root took at least this long; zero switches it off. Default 1 s. */
  public TailSamplerBuilder setSlowThreshold(Duration slowThreshold) {
    requireNonNull(slowThreshold, "slowThreshold");
    if (slowThreshold.isNegative()) {
      throw new IllegalArgumentException("slowThreshold must not be negative");
    }
    this.slowThreshold = slowThreshold;
    return this;
  }

  /**
   * Keep traces whose local root took longer than this percentile of its operation's recent
   * durations (from live statistics); zero switches it off. Default 99.
   */
  public TailSamplerBuilder setSlowPercentile(double slowPercentile) {
    if (!(slowPercentile >= 0 && slowPercentile < 100)) {
      throw new IllegalArgumentException("slowPercentile must be in [0, 100)");
    }
    this.slowPercentile = slowPercentile;
    return this;
  }

  /** Keep traces whose bottleneck is of one of these categories. Default none. */
  public TailSamplerBuilder setBottleneckCategories(Set<BottleneckCategory> categories) {
    this.bottleneckCategories = Set.copyOf(requireNonNull(categories, "categories"));
    return this;
  }

  /** Keep traces in which the analysis found N+1 statements. Default true. */
  public TailSamplerBuilder setKeepNPlusOne(boolean keepNPlusOne) {
    this.keepNPlusOne = keepNPlusOne;
    return this;
  }

  /**
   * Keep traces whose local root's operation was seen fewer than this many times in the recent
   * window of live statistics; zero switches it off. Default {@value #DEFAULT_RARE_THRESHOLD}.
   */
  public TailSamplerBuilder setRareThreshold(int rareThreshold) {
    if (rareThreshold < 0) {
      throw new IllegalArgumentException("rareThreshold must not be negative");
    }
    this.rareThreshold = rareThreshold;
    return this;
  }

  /** Keep this fraction of the remaining traces, chosen by trace id. Default 0. */
  public TailSamplerBuilder setProbability(double probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]");
    }
    this.probability = probability;
    return this;
  }

  /**
   * At most this many traces a second are kept by the policies above (head-sampled traces are not
   * counted). Default {@value #DEFAULT_MAX_KEPT_PER_SECOND}.
   */
  public TailSamplerBuilder setMaxKeptPerSecond(double maxKeptPerSecond) {
    if (!(maxKeptPerSecond > 0)) {
      throw new IllegalArgumentException("maxKeptPerSecond must be positive");
    }
    this.maxKeptPerSecond = maxKeptPerSecond;
    return this;
  }

  public TailSampler build() {
    return new TailSampler(this);
  }
}
