package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.MS;
import static dev.traceinsights.stats.StatsTestSpans.key;
import static dev.traceinsights.stats.StatsTestSpans.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Quantiles against exact values on skewed distributions. The exact q-quantile of n sorted samples
 * is the one of 0-based rank {@code floor(q * (n - 1))}, the rank DDSketch uses (it returns the bin
 * in which the cumulative count first exceeds {@code q * (n - 1)}); the bound is 1 % relative.
 */
class DurationQuantilesTest {

  private static final double BOUND = 0.01;
  private static final double[] QUANTILES = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999};
  private static final int SAMPLES = 20_000;
  private static final OperationKey OPERATION = key("GET /orders", SpanKind.SERVER);

  private final TestClock clock = TestClock.create();

  static long exact(long[] sorted, double quantile) {
    return sorted[(int) Math.floor(quantile * (sorted.length - 1))];
  }

  @Test
  void exactQuantileUsesTheLowerRank() {
    // 10 samples 10, 20, ..., 100 ms: p50 has rank floor(0.5 * 9) = 4 -> 50 ms, p90 rank
    // floor(8.1) = 8 -> 90 ms, p99 rank floor(8.91) = 8 -> 90 ms too, p100 rank 9 -> 100 ms.
    LiveStatistics statistics = statistics();
    for (int i = 1; i <= 10; i++) {
      statistics.recordUnanalyzed(server("GET /orders", i * 10 * MS));
    }

    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5))
        .isCloseTo(50 * MS, within(0.5 * MS));
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.9))
        .isCloseTo(90 * MS, within(0.9 * MS));
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.99))
        .isCloseTo(90 * MS, within(0.9 * MS));
    assertThat(statistics.durationQuantileNanos(OPERATION, 1))
        .isCloseTo(100 * MS, within(1.0 * MS));
  }

  @Test
  void lognormalLatencies() {
    // median 20 ms, sigma 1.5: p99 around 650 ms, a long right tail
    Random random = new Random(42);
    assertWithinBound(() -> (long) (20 * MS * Math.exp(1.5 * random.nextGaussian())));
  }

  @Test
  void paretoHeavyTail() {
    // x_m = 1 ms, alpha = 1.1: infinite variance, the largest of 20 000 around 8 s
    Random random = new Random(7);
    assertWithinBound(() -> (long) (MS / Math.pow(1 - random.nextDouble(), 1 / 1.1)));
  }

  @Test
  void bimodalCacheHitsAndMisses() {
    // 85 % cache hits around 2 ms, 15 % misses around 400 ms: p90 and above fall in the second mode
    Random random = new Random(3);
    assertWithinBound(
        () ->
            random.nextDouble() < 0.85
                ? (long) (2 * MS * (1 + 0.2 * random.nextGaussian()) + MS)
                : (long) (400 * MS * (1 + 0.1 * random.nextGaussian())));
  }

  @Test
  void snapshotPercentilesAreWithinTheBound() {
    Random random = new Random(11);
    long[] samples = new long[SAMPLES];
    LiveStatistics statistics = statistics();
    for (int i = 0; i < SAMPLES; i++) {
      samples[i] = (long) (20 * MS * Math.exp(1.5 * random.nextGaussian()));
      statistics.recordUnanalyzed(server("GET /orders", samples[i]));
    }
    Arrays.sort(samples);

    OperationStatistics row = statistics.snapshot().operation(OPERATION);

    assertThat(row.calls()).isEqualTo(SAMPLES);
    assertWithin(row.durationP50Nanos(), exact(samples, 0.5));
    assertWithin(row.durationP90Nanos(), exact(samples, 0.9));
    assertWithin(row.durationP95Nanos(), exact(samples, 0.95));
    assertWithin(row.durationP99Nanos(), exact(samples, 0.99));
    assertWithin(row.recentDurationP95Nanos(), exact(samples, 0.95));
    // Unanalysed spans have no self time.
    assertThat(row.selfTimeP50Nanos()).isNaN();
  }

  @Test
  void collapsingBeyondTheBinBoundOnlyAffectsTheLowestValues() {
    // 10 ns and 1000 s are 11 decades apart, more than the 8.8 the bins cover: the 10 ns values
    // fall into the lowest kept bin (about 1.6 us), the high quantiles keep their bound.
    LiveStatistics statistics = statistics();
    for (int i = 0; i < 100; i++) {
      statistics.recordUnanalyzed(server("GET /orders", 10));
    }
    for (int i = 0; i < 900; i++) {
      statistics.recordUnanalyzed(server("GET /orders", 1000 * StatsTestSpans.SECOND));
    }

    assertWithin(statistics.durationQuantileNanos(OPERATION, 0.99), 1000 * StatsTestSpans.SECOND);
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.05)).isGreaterThan(1000);
  }

  private void assertWithinBound(LongSupplier distribution) {
    LiveStatistics statistics = statistics();
    long[] samples = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      samples[i] = Math.max(0, distribution.getAsLong());
      statistics.recordUnanalyzed(server("GET /orders", samples[i]));
    }
    Arrays.sort(samples);
    for (double quantile : QUANTILES) {
      assertWithin(statistics.durationQuantileNanos(OPERATION, quantile), exact(samples, quantile));
    }
  }

  static void assertWithin(double estimate, long exact) {
    assertThat(estimate).isCloseTo(exact, within(BOUND * exact));
  }

  private LiveStatistics statistics() {
    return LiveStatistics.builder().setClock(clock).setMinCallsForQuantile(1).build();
  }
}
