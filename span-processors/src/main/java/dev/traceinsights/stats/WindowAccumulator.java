package dev.traceinsights.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.traceinsights.internal.DurationSketches;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.annotation.Nullable;

/**
 * Calls, errors and durations of one operation in one fixed window. Reused: cleared when its window
 * is over instead of replaced, and its sketch keeps its array. Guarded by the statistics' lock.
 */
final class WindowAccumulator {

  // The few quantiles asked for (health's p95 and whatever the sampler uses), remembered until
  // the next call changes the window: a completed window never changes, so asking again is free.
  private static final int CACHED_QUANTILES = 4;

  long calls;
  long errors;
  final DDSketch durations = DurationSketches.create();
  final DurationReservoir sample;

  private final double[] cachedQuantiles = new double[CACHED_QUANTILES];
  private final double[] cachedValues = new double[CACHED_QUANTILES];
  private long cachedAtCalls = -1;
  private int nextCacheSlot;

  WindowAccumulator(int sampleCapacity) {
    this.sample = new DurationReservoir(sampleCapacity);
  }

  void record(
      long durationNanos, boolean error, @Nullable String traceId, SplittableRandom random) {
    calls++;
    if (error) {
      errors++;
    }
    durations.accept(durationNanos);
    sample.record(durationNanos, traceId, random);
  }

  /** The quantile of the durations; the window must have calls. */
  double quantile(double quantile) {
    if (cachedAtCalls != calls) {
      Arrays.fill(cachedQuantiles, Double.NaN); // NaN equals nothing: an empty slot
      cachedAtCalls = calls;
      nextCacheSlot = 0;
    }
    for (int i = 0; i < CACHED_QUANTILES; i++) {
      if (cachedQuantiles[i] == quantile) {
        return cachedValues[i];
      }
    }
    double value = durations.getValueAtQuantile(quantile);
    cachedQuantiles[nextCacheSlot] = quantile;
    cachedValues[nextCacheSlot] = value;
    nextCacheSlot = (nextCacheSlot + 1) % CACHED_QUANTILES;
    return value;
  }

  void clear() {
    calls = 0;
    errors = 0;
    durations.clear();
    sample.clear();
    cachedAtCalls = -1;
  }

  @Override
  public String toString() {
    return "WindowAccumulator{calls=" + calls + ", errors=" + errors + '}';
  }
}
