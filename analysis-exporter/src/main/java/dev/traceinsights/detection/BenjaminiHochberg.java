package dev.traceinsights.detection;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini-Hochberg adjusted p-values ("q-values"; Benjamini and Hochberg, JRSS B 57, 1995), the
 * step-up procedure R's {@code p.adjust(p, "BH")} computes. commons-statistics 1.2 has no multiple
 * comparison procedure.
 *
 * <p>With p-values sorted ascending, {@code p(1) <= ... <= p(m)}, the adjusted value of the i-th is
 * {@code min over j >= i of min(1, m p(j) / j)}. Rejecting every hypothesis whose adjusted p-value
 * is at most α controls the false discovery rate (the expected share of false findings among the
 * findings) at α when the tests are independent or positively dependent (PRDS); under the global
 * null it is the probability of any finding at all.
 */
final class BenjaminiHochberg {

  private BenjaminiHochberg() {}

  /**
   * The adjusted p-values, in the order of {@code pValues}.
   *
   * @throws IllegalArgumentException when a p-value is NaN or outside [0, 1]
   */
  static double[] adjust(double[] pValues) {
    requireNonNull(pValues, "pValues");
    int m = pValues.length;
    for (double p : pValues) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("p-values must be in [0, 1], got " + p);
      }
    }
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
    double[] adjusted = new double[m];
    double running = 1;
    for (int rank = m; rank >= 1; rank--) { // from the largest: the running minimum of m p / rank
      int index = order[rank - 1];
      // p * (m / rank), not p * m / rank: at rank m the factor is exactly 1, and a factor >= 1
      // never rounds the product below p.
      running = Math.min(running, pValues[index] * ((double) m / rank));
      adjusted[index] = running;
    }
    return adjusted;
  }
}
