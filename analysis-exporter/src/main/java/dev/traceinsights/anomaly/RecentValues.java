package dev.traceinsights.anomaly;

/** The last {@code capacity} values of a series, oldest dropped first: a ring of doubles. */
final class RecentValues {

  private final double[] values;
  private int oldest;
  private int size;

  RecentValues(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    values = new double[capacity];
  }

  void add(double value) {
    if (size < values.length) {
      values[(oldest + size) % values.length] = value;
      size++;
    } else {
      values[oldest] = value;
      oldest = (oldest + 1) % values.length;
    }
  }

  void clear() {
    oldest = 0;
    size = 0;
  }

  int size() {
    return size;
  }

  /** A copy, oldest first. */
  double[] toArray() {
    double[] copy = new double[size];
    for (int i = 0; i < size; i++) {
      copy[i] = values[(oldest + i) % values.length];
    }
    return copy;
  }

  @Override
  public String toString() {
    return "RecentValues{size=" + size + ", capacity=" + values.length + '}';
  }
}
