package dev.traceinsights.analysis;

/**
 * Sorts ranges of an {@code int[]} of span indices by an order over the indices, without boxing
 * them into {@code Integer}s the way {@code Arrays.sort(T[], Comparator)} would. Stable, O(k log k)
 * and iterative: insertion sort for short runs (most spans have a handful of children), then
 * bottom-up merge passes.
 */
final class IndexSort {

  /** A total order over span indices. */
  @FunctionalInterface
  interface Order {
    /** Negative when {@code a} comes first, positive when {@code b} does, 0 when equal. */
    int compare(int a, int b);
  }

  // Below this length insertion sort beats merging; also the length of the initial runs.
  private static final int RUN = 16;

  private IndexSort() {}

  /**
   * Sorts {@code a[from, to)} by {@code order}. {@code scratch} must be at least as long as {@code
   * to}; its content in that range is overwritten.
   */
  static void sort(int[] a, int from, int to, int[] scratch, Order order) {
    int length = to - from;
    if (length < 2) {
      return;
    }
    for (int lo = from; lo < to; lo += RUN) {
      insertionSort(a, lo, Math.min(lo + RUN, to), order);
    }
    if (length <= RUN) {
      return;
    }
    int[] src = a;
    int[] dst = scratch;
    for (int width = RUN; width < length; width *= 2) {
      for (int lo = from; lo < to; lo += 2 * width) {
        int mid = Math.min(lo + width, to);
        int hi = Math.min(lo + 2 * width, to);
        merge(src, dst, lo, mid, hi, order);
      }
      int[] swap = src;
      src = dst;
      dst = swap;
    }
    if (src != a) {
      System.arraycopy(src, from, a, from, length);
    }
  }

  private static void insertionSort(int[] a, int from, int to, Order order) {
    for (int i = from + 1; i < to; i++) {
      int value = a[i];
      int j = i - 1;
      while (j >= from && order.compare(a[j], value) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = value;
    }
  }

  private static void merge(int[] src, int[] dst, int lo, int mid, int hi, Order order) {
    int i = lo;
    int j = mid;
    int k = lo;
    while (i < mid && j < hi) {
      // "<= 0" keeps equal elements in their original order: the sort is stable.
      dst[k++] = order.compare(src[i], src[j]) <= 0 ? src[i++] : src[j++];
    }
    while (i < mid) {
      dst[k++] = src[i++];
    }
    while (j < hi) {
      dst[k++] = src[j++];
    }
  }
}
