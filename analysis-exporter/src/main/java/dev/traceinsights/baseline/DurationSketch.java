package dev.traceinsights.baseline;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import dev.traceinsights.internal.DurationSketches;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * An immutable DDSketch of durations in nanoseconds, with the parameters of the live statistics'
 * sketches ({@code dev.traceinsights.stats.DurationSketches}): cubically interpolated mapping at 1
 * % relative accuracy, at most {@value #MAX_BINS} bins collapsing the lowest.
 *
 * <p>Bound: {@link #quantileNanos} is within 1 % (relatively) of the value of 0-based rank {@code
 * floor(q * (count - 1))} among the values recorded, as long as that value lies within the {@value
 * #MAX_BINS} bins (8.8 decades) below the largest one. Counts may be fractional: a value recorded
 * from a sample of a window stands for {@code calls / sampleSize} calls, and the bound then holds
 * for the weighted distribution.
 *
 * <p>A sketch is its zero count (durations of 0 ns, which have no bin) and its bins ({@code index,
 * count}); {@link BaselineFile} stores exactly these, so a sketch read back answers every quantile
 * exactly as the one written.
 */
public final class DurationSketch {

  public static final double RELATIVE_ACCURACY = DurationSketches.RELATIVE_ACCURACY;
  public static final int MAX_BINS = DurationSketches.MAX_BINS;

  // The live statistics' mapping: their sketches and a baseline's could merge.
  static final IndexMapping MAPPING = DurationSketches.mapping();

  private static final DurationSketch EMPTY = new DurationSketch(0, newStore());

  private final double zeroCount;
  private final Store positive; // never modified after construction
  private final DDSketch sketch; // reads only

  private DurationSketch(double zeroCount, Store positive) {
    this.zeroCount = zeroCount;
    this.positive = positive;
    this.sketch = DDSketch.of(MAPPING, newStore(), positive, zeroCount);
  }

  /** A sketch without values. */
  public static DurationSketch empty() {
    return EMPTY;
  }

  /** A sketch of {@code durationsNanos}, each counted once. */
  public static DurationSketch of(long... durationsNanos) {
    Accumulator accumulator = new Accumulator();
    for (long duration : durationsNanos) {
      accumulator.add(duration, 1);
    }
    return accumulator.toSketch();
  }

  /**
   * The sketch with these bins, e.g. as read from a file.
   *
   * @param zeroCount how many durations were 0 ns
   * @param indexes bin indexes of the 1 % mapping, strictly increasing
   * @param counts the count of each bin, positive
   */
  static DurationSketch fromBins(double zeroCount, int[] indexes, double[] counts) {
    if (!(zeroCount >= 0 && zeroCount < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("zeroCount must be finite and non-negative");
    }
    if (indexes.length != counts.length) {
      throw new IllegalArgumentException("indexes and counts must have the same length");
    }
    if (indexes.length > MAX_BINS) {
      throw new IllegalArgumentException("at most " + MAX_BINS + " bins, got " + indexes.length);
    }
    Store store = newStore();
    for (int i = 0; i < indexes.length; i++) {
      if (i > 0 && indexes[i] <= indexes[i - 1]) {
        throw new IllegalArgumentException("bin indexes must be strictly increasing");
      }
      if (!(counts[i] > 0 && counts[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("bin counts must be finite and positive");
      }
      store.add(indexes[i], counts[i]);
    }
    return new DurationSketch(zeroCount, store);
  }

  /** The number of durations recorded, fractional when recorded from samples. */
  public double count() {
    return sketch.getCount();
  }

  public boolean isEmpty() {
    return sketch.isEmpty();
  }

  /**
   * The duration at {@code quantile} (0 to 1), within 1 % of the exact value (see the class
   * comment).
   *
   * @throws IllegalStateException when the sketch is empty
   */
  public double quantileNanos(double quantile) {
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in [0, 1], was " + quantile);
    }
    if (sketch.isEmpty()) {
      throw new IllegalStateException("empty sketch has no quantiles");
    }
    return sketch.getValueAtQuantile(quantile);
  }

  /** How many durations were 0 ns. */
  double zeroCount() {
    return zeroCount;
  }

  /** The non-empty bins in increasing index order. */
  List<Bin> bins() {
    List<Bin> bins = new ArrayList<>();
    for (Iterator<Bin> it = positive.getAscendingIterator(); it.hasNext(); ) {
      bins.add(it.next());
    }
    return bins;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof DurationSketch that)) {
      return false;
    }
    return Double.compare(zeroCount, that.zeroCount) == 0 && bins().equals(that.bins());
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(zeroCount) + bins().hashCode();
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "DurationSketch{count=0}";
    }
    return String.format(
        Locale.ROOT,
        "DurationSketch{count=%s, p50=%.0fns, p99=%.0fns}",
        count(),
        quantileNanos(0.5),
        quantileNanos(0.99));
  }

  private static Store newStore() {
    return DurationSketches.newStore();
  }

  /** The mutable side: adds weighted durations, then makes an immutable copy. Not thread-safe. */
  static final class Accumulator {
    private final Store store = newStore();
    private double zeroCount;

    void add(long durationNanos, double weight) {
      if (durationNanos == 0) {
        zeroCount += weight;
      } else {
        store.add(MAPPING.index(durationNanos), weight);
      }
    }

    DurationSketch toSketch() {
      return new DurationSketch(zeroCount, store.copy());
    }
  }
}
