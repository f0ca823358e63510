package dev.traceinsights.sampling;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.common.Clock;
import java.time.Duration;

/**
 * Builds an {@link AdaptiveSampler}. Defaults follow Jaeger's adaptive sampling where the reasons
 * carry over to a sampler inside the process, and differ where they do not (initial probability,
 * calculation interval); each setter says which.
 */
public final class AdaptiveSamplerBuilder {

  public static final double DEFAULT_TARGET_SAMPLES_PER_SECOND = 1.0;
  public static final double DEFAULT_TOLERANCE = 0.3;
  public static final double DEFAULT_INCREASE_CAP = 0.5;
  public static final double DEFAULT_MIN_PROBABILITY = 1e-5;
  public static final double DEFAULT_MAX_PROBABILITY = 1.0;
  public static final double DEFAULT_INITIAL_PROBABILITY = 1.0;
  public static final Duration DEFAULT_CALCULATION_INTERVAL = Duration.ofSeconds(10);
  public static final double DEFAULT_LOWER_BOUND_SAMPLES_PER_SECOND = 1.0 / 60;
  public static final int DEFAULT_MAX_OPERATIONS = 1000;

  private double targetSamplesPerSecond = DEFAULT_TARGET_SAMPLES_PER_SECOND;
  private double tolerance = DEFAULT_TOLERANCE;
  private double increaseCap = DEFAULT_INCREASE_CAP;
  private double minProbability = DEFAULT_MIN_PROBABILITY;
  private double maxProbability = DEFAULT_MAX_PROBABILITY;
  private double initialProbability = DEFAULT_INITIAL_PROBABILITY;
  private Duration calculationInterval = DEFAULT_CALCULATION_INTERVAL;
  private double lowerBoundSamplesPerSecond = DEFAULT_LOWER_BOUND_SAMPLES_PER_SECOND;
  private int maxOperations = DEFAULT_MAX_OPERATIONS;
  private boolean keyBySpanKind = false;
  private Clock clock = Clock.getDefault();

  AdaptiveSamplerBuilder() {}

  /** Sampled traces per second aimed at, per root operation. Default 1 (Jaeger's default). */
  public AdaptiveSamplerBuilder setTargetSamplesPerSecond(double targetSamplesPerSecond) {
    if (!(targetSamplesPerSecond > 0) || Double.isInfinite(targetSamplesPerSecond)) {
      throw new IllegalArgumentException("targetSamplesPerSecond must be positive and finite");
    }
    this.targetSamplesPerSecond = targetSamplesPerSecond;
    return this;
  }

  /**
   * How far, as a fraction of the target, the sampled rate of an interval may be off before the
   * probability changes. Default 0.3 (Jaeger's delta tolerance): it keeps the probability still
   * while the sampled count only shows its Poisson noise.
   */
  public AdaptiveSamplerBuilder setTolerance(double tolerance) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be non-negative and finite");
    }
    this.tolerance = tolerance;
    return this;
  }

  /**
   * The largest relative increase of a probability in one interval: 0.5 lets it grow to at most 1.5
   * times. Decreases are not capped. Default 0.5 (the default of Jaeger's capped calculator): after
   * a quiet interval the probability climbs back gradually instead of oversampling the next burst.
   */
  public AdaptiveSamplerBuilder setIncreaseCap(double increaseCap) {
    if (!(increaseCap > 0) || Double.isInfinite(increaseCap)) {
      throw new IllegalArgumentException("increaseCap must be positive and finite");
    }
    this.increaseCap = increaseCap;
    return this;
  }

  /** The lowest probability an operation gets. Default 1e-5 (Jaeger's: one in 100 000 roots). */
  public AdaptiveSamplerBuilder setMinProbability(double minProbability) {
    this.minProbability = probability(minProbability, "minProbability");
    return this;
  }

  /** The highest probability an operation gets. Default 1. */
  public AdaptiveSamplerBuilder setMaxProbability(double maxProbability) {
    this.maxProbability = probability(maxProbability, "maxProbability");
    return this;
  }

  /**
   * The probability of an operation until its first calculation. Default 1, not Jaeger's 0.001:
   * Jaeger starts low because its collector learns of a new operation only a few minutes later;
   * here the first interval's count is available at once, and since decreases are not capped one
   * calculation takes a busy operation straight from 1 to its target probability, while a rare one
   * starting at 0.001 would need about 17 capped steps to reach 1. The cost is that a new operation
   * is fully sampled for its first interval.
   */
  public AdaptiveSamplerBuilder setInitialProbability(double initialProbability) {
    this.initialProbability = probability(initialProbability, "initialProbability");
    return this;
  }

  /**
   * How often probabilities are recalculated. Default 10 s, not Jaeger's 1 min (which has to cover
   * its clients' one-minute polling; here a new probability applies to the next root). The interval
   * should hold at least 5–10 expected samples ({@code target × interval}): with about one sample
   * per interval the measured rate is mostly noise, the probability jumps around and the long-run
   * rate ends up above the target (about +12% in simulation).
   */
  public AdaptiveSamplerBuilder setCalculationInterval(Duration calculationInterval) {
    requireNonNull(calculationInterval, "calculationInterval");
    if (calculationInterval.isNegative() || calculationInterval.isZero()) {
      throw new IllegalArgumentException("calculationInterval must be positive");
    }
    this.calculationInterval = calculationInterval;
    return this;
  }

  /**
   * An operation is sampled at least this often: a root is sampled whatever its probability when
   * the operation has had no sampled root for {@code 1 / lowerBound} seconds. Default 1/60 (one a
   * minute, Jaeger's). 0 turns the guarantee off.
   */
  public AdaptiveSamplerBuilder setLowerBoundSamplesPerSecond(double lowerBoundSamplesPerSecond) {
    if (!(lowerBoundSamplesPerSecond >= 0) || Double.isInfinite(lowerBoundSamplesPerSecond)) {
      throw new IllegalArgumentException(
          "lowerBoundSamplesPerSecond must be non-negative and finite");
    }
    this.lowerBoundSamplesPerSecond = lowerBoundSamplesPerSecond;
    return this;
  }

  /** Operations tracked on their own; roots of further operations share one state. Default 1000. */
  public AdaptiveSamplerBuilder setMaxOperations(int maxOperations) {
    if (maxOperations < 1) {
      throw new IllegalArgumentException("maxOperations must be positive");
    }
    this.maxOperations = maxOperations;
    return this;
  }

  /**
   * Whether an operation is the root span's name and kind (true) or its name only (false, the
   * default, as in Jaeger).
   */
  public AdaptiveSamplerBuilder setKeyBySpanKind(boolean keyBySpanKind) {
    this.keyBySpanKind = keyBySpanKind;
    return this;
  }

  // For tests: the sampler reads only Clock#nanoTime.
  AdaptiveSamplerBuilder setClock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Builds the sampler.
   *
   * @throws IllegalArgumentException unless minProbability ≤ initialProbability ≤ maxProbability
   */
  public AdaptiveSampler build() {
    if (minProbability > maxProbability) {
      throw new IllegalArgumentException("minProbability must not exceed maxProbability");
    }
    if (initialProbability < minProbability || initialProbability > maxProbability) {
      throw new IllegalArgumentException(
          "initialProbability must be between minProbability and maxProbability");
    }
    return new AdaptiveSampler(
        targetSamplesPerSecond,
        tolerance,
        increaseCap,
        minProbability,
        maxProbability,
        initialProbability,
        calculationInterval,
        lowerBoundSamplesPerSecond,
        maxOperations,
        keyBySpanKind,
        clock);
  }

  private static double probability(double value, String name) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1]");
    }
    return value;
  }
}
