package dev.traceinsights.internal;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A bounded sample of the durations of every call recorded, single values or whole samples of
 * windows, such that <b>every call recorded is in the sample with the same probability</b> {@code
 * size / population}: the sample of the live statistics' windows and of baselines. Not thread-safe;
 * the caller's random generator, so that a seeded one reproduces a sample.
 *
 * <p>Single values: Vitter's Algorithm R while the sample holds every call; afterwards a new call
 * replaces a random element with probability {@code size / population}, which keeps every earlier
 * call's probability at {@code size / population} as well.
 *
 * <p>Samples ({@link #addSample}): this sample (r of N calls) and a window's uniform sample (s of c
 * calls) merge into k values, k at most the capacity and at most what both sides can support
 * ({@code k <= r (N + c) / N} and {@code k <= s (N + c) / c}, so that neither side has to give more
 * values than it has). The two sides give k in proportion to their calls, {@code k N / (N + c)}
 * from this sample, rounded up or down at random so that the expectation is exact. Each call is
 * then kept with probability {@code (r / N) * (k N / (N + c)) / r = k / (N + c)}, the same on both
 * sides: a self-weighting (proportionally stratified) sample. It is not a simple random sample of
 * the union, since each side's share is fixed up to rounding; that only lowers the variance of the
 * sample's quantiles and rank statistics, it does not bias them.
 */
public final class DurationSample {

  private static final int INITIAL_SIZE = 16;

  private final int capacity;
  private long[] values;
  private int size;
  private long population;

  /**
   * @param capacity the most values kept; the array grows by doubling up to it, so a rarely called
   *     operation holds a few bytes and a busy one {@code 8 * capacity}
   */
  public DurationSample(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative");
    }
    this.capacity = capacity;
    this.values = new long[Math.min(capacity, INITIAL_SIZE)];
  }

  /** Adds one call's duration. */
  public void add(long durationNanos, RandomGenerator random) {
    long total = population + 1;
    if (capacity == 0) {
      population = total;
      return;
    }
    if (size == population && size < capacity) {
      append(durationNanos);
    } else if (random.nextLong(total) < size) {
      values[random.nextInt(size)] = durationNanos;
    }
    population = total;
  }

  /**
   * Merges {@code sample}, a uniform sample of the durations of {@code calls} calls. A sample
   * without values cannot stand for its calls and is ignored.
   */
  public void addSample(long[] sample, long calls, RandomGenerator random) {
    int s = sample.length;
    if (s == 0 || calls == 0) {
      return;
    }
    long total = population + calls;
    long supported = scaled(s, total, calls);
    if (population > 0) {
      supported = Math.min(supported, scaled(size, total, population));
    }
    int k = (int) Math.min(capacity, supported);

    double exactFromThis = (double) k * population / total;
    int fromThis = (int) Math.floor(exactFromThis);
    if (random.nextDouble() < exactFromThis - fromThis) {
      fromThis++;
    }
    fromThis = Math.min(fromThis, size); // never binds (see class comment); guards rounding
    int fromSample = Math.min(k - fromThis, s);

    long[] merged = new long[Math.max(fromThis + fromSample, Math.min(capacity, INITIAL_SIZE))];
    chooseInto(values, size, fromThis, merged, 0, random);
    chooseInto(sample.clone(), s, fromSample, merged, fromThis, random);
    values = merged;
    size = fromThis + fromSample;
    population = total;
  }

  /** {@code floor(count * total / part)}, in double: exact for the integers calls counts reach. */
  private static long scaled(long count, long total, long part) {
    return (long) Math.floor((double) count * total / part);
  }

  /** Moves {@code k} random elements of {@code source[0, n)} into {@code target[offset, ...)}. */
  private static void chooseInto(
      long[] source, int n, int k, long[] target, int offset, RandomGenerator random) {
    // Partial Fisher-Yates: after step i, source[0..i] is a uniform random i+1-subset.
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      long chosen = source[j];
      source[j] = source[i];
      source[i] = chosen;
      target[offset + i] = chosen;
    }
  }

  private void append(long durationNanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, Math.min(capacity, Math.max(INITIAL_SIZE, values.length * 2)));
    }
    values[size++] = durationNanos;
  }

  /** The sample, a copy. */
  public long[] toArray() {
    return Arrays.copyOf(values, size);
  }

  public int size() {
    return size;
  }

  /** How many calls the sample stands for. */
  public long population() {
    return population;
  }

  /** Empties the sample, keeping its array for the next window. */
  public void clear() {
    size = 0;
    population = 0;
  }

  @Override
  public String toString() {
    return "DurationSample{capacity="
        + capacity
        + ", size="
        + size
        + ", population="
        + population
        + '}';
  }
}
