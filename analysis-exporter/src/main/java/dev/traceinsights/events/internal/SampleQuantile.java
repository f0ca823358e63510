package dev.traceinsights.events.internal;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A quantile of a window's sampled durations ({@link
 * dev.traceinsights.stats.OperationWindow#sampledDurationsNanos()}) and how precisely the sample
 * measures it.
 *
 * <p>The value is the sample of 0-based rank {@code r = floor(q * (n - 1))} in ascending order
 * (numpy's {@code lower} method): always an observed duration, and the rank {@code
 * DurationSketches} bounds its quantiles against, so a p95 here and a p95 of the live sketches
 * describe the same thing. For 20 samples the p95 is the second largest (rank 18), for 100 the
 * sixth largest (rank 94).
 *
 * <p>The standard error is half the distance between the samples of ranks {@code r - k} and {@code
 * r + k} (clamped to the sample), {@code k = max(1, round(sqrt(n q (1 - q))))}: the number of
 * samples below the true quantile is binomial with standard deviation {@code sqrt(n q (1 - q))},
 * and the order statistics that many ranks either side bound the quantile with about 68 %
 * confidence (the distribution-free interval for a quantile, Conover, "Practical Nonparametric
 * Statistics", 3rd ed., §3.2). It is rough (at n = 20 it rests on two samples) but needs no model
 * of the durations.
 *
 * @param valueNanos the sample quantile
 * @param standardErrorNanos its approximate standard error, 0 for a single sample
 */
public record SampleQuantile(long valueNanos, double standardErrorNanos) {

  /**
   * The {@code quantile} of {@code sampleNanos}.
   *
   * @param sampleNanos not modified
   * @param quantile in [0, 1]
   * @throws IllegalArgumentException if the sample is empty or the quantile outside [0, 1]
   */
  public static SampleQuantile of(long[] sampleNanos, double quantile) {
    requireNonNull(sampleNanos, "sampleNanos");
    if (sampleNanos.length == 0) {
      throw new IllegalArgumentException("sampleNanos must not be empty");
    }
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in [0, 1], got " + quantile);
    }
    long[] sorted = sampleNanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    int rank = (int) Math.floor(quantile * (n - 1));
    int k = (int) Math.max(1, Math.round(Math.sqrt(n * quantile * (1 - quantile))));
    double standardError =
        (sorted[Math.min(n - 1, rank + k)] - sorted[Math.max(0, rank - k)]) / 2.0;
    return new SampleQuantile(sorted[rank], standardError);
  }
}
