package dev.traceinsights.internal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;

/**
 * The DDSketch every duration distribution uses, the live statistics' and the baselines' alike, so
 * that their quantiles have the same bound and their sketches could merge (Masson, Rim and Lee,
 * "DDSketch: a fast and fully-mergeable quantile sketch with relative-error guarantees", VLDB
 * 2019).
 *
 * <p>Bound: a quantile is within {@value #RELATIVE_ACCURACY} (1 %) of the exact value, relatively,
 * as long as that value lies within the {@value #MAX_BINS} bins below the largest value recorded.
 * At 1 % the cubically interpolated mapping has 116 bins per decade, so {@value #MAX_BINS} bins
 * span 8.8 decades (e.g. 160 ns to 100 s); smaller values are collapsed into the lowest bin, which
 * only ever affects the lowest quantiles. The exact value is the sample of 0-based rank {@code
 * floor(q * (n - 1))} in sorted order: the sketch returns the bin in which the cumulative count
 * first exceeds {@code q * (n - 1)}.
 *
 * <p>Memory: the positive-value store is a {@code double[]} covering the bins from the lowest to
 * the highest value seen, grown in steps of 64 and never beyond {@value #MAX_BINS}: at most 8 KiB,
 * about 3 KiB for durations spread over 3 decades. The negative-value store stays empty (durations
 * are never negative) and the mapping is shared, so a sketch adds about 150 bytes of objects.
 */
public final class DurationSketches {

  public static final double RELATIVE_ACCURACY = 0.01;
  public static final int MAX_BINS = 1024;

  // Immutable and shared: sketches with equal mappings can be merged.
  private static final IndexMapping MAPPING = new CubicallyInterpolatedMapping(RELATIVE_ACCURACY);

  private DurationSketches() {}

  /** An empty sketch. */
  public static DDSketch create() {
    return new DDSketch(MAPPING, DurationSketches::newStore);
  }

  /** The mapping of every duration sketch: immutable and shared. */
  public static IndexMapping mapping() {
    return MAPPING;
  }

  /** A store of at most {@value #MAX_BINS} bins that collapses the lowest. */
  public static Store newStore() {
    return new CollapsingLowestDenseStore(MAX_BINS);
  }
}
