package dev.traceinsights.stats;

import dev.traceinsights.internal.DurationSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.annotation.Nullable;

/**
 * A uniform random sample of at most {@code capacity} of the durations recorded into it, and the
 * trace ids of the {@value #SLOWEST} slowest. Reused window after window: {@link #clear()} keeps
 * the array. Guarded by the statistics' lock.
 *
 * <p>The sample is a {@link DurationSample} (Vitter's Algorithm R: every value recorded is in it
 * with the same probability), the one the baselines keep too.
 */
final class DurationReservoir {

  static final int SLOWEST = 3;

  private final DurationSample sample;

  // Slowest first; slots beyond slowestCount are unused.
  private final long[] slowestNanos = new long[SLOWEST];
  private final String[] slowestTraceIds = new String[SLOWEST];
  private int slowestCount;

  DurationReservoir(int capacity) {
    this.sample = new DurationSample(capacity);
  }

  void record(long durationNanos, @Nullable String traceId, SplittableRandom random) {
    sample.add(durationNanos, random);
    if (traceId != null) {
      recordSlowest(durationNanos, traceId);
    }
  }

  private void recordSlowest(long durationNanos, String traceId) {
    int position = slowestCount;
    while (position > 0 && slowestNanos[position - 1] < durationNanos) {
      position--;
    }
    if (position == SLOWEST) {
      return;
    }
    int last = Math.min(slowestCount, SLOWEST - 1);
    for (int i = last; i > position; i--) {
      slowestNanos[i] = slowestNanos[i - 1];
      slowestTraceIds[i] = slowestTraceIds[i - 1];
    }
    slowestNanos[position] = durationNanos;
    slowestTraceIds[position] = traceId;
    slowestCount = Math.min(slowestCount + 1, SLOWEST);
  }

  long[] sampleCopy() {
    return sample.toArray();
  }

  List<String> slowestTraceIds() {
    List<String> ids = new ArrayList<>(slowestCount);
    for (int i = 0; i < slowestCount; i++) {
      // The same trace can hold several of the slowest spans (N+1 queries): name it once.
      if (!ids.contains(slowestTraceIds[i])) {
        ids.add(slowestTraceIds[i]);
      }
    }
    return ids;
  }

  void clear() {
    sample.clear();
    slowestCount = 0;
    Arrays.fill(slowestTraceIds, null);
  }

  @Override
  public String toString() {
    return "DurationReservoir{" + sample + ", slowest=" + slowestCount + '}';
  }
}
