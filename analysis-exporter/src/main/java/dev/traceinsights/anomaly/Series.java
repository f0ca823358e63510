package dev.traceinsights.anomaly;

import dev.traceinsights.events.internal.SampleQuantile;

/**
 * The three live series of an operation, each with the smallest scale its z-score may use and the
 * directions that count as anomalous.
 *
 * <p>Every floor includes 1 % of the median: a change of a few percent is rarely worth an alert,
 * however steady the series was. The rest of each floor is the series' own sampling noise, which a
 * MAD of 0 (a constant history) says nothing about.
 */
enum Series {
  /**
   * The window's p95 latency in milliseconds ({@link SampleQuantile}). Floor: the sample p95's
   * standard error, and at least 1 ms, the resolution a sleep-like operation (constant duration
   * plus scheduler jitter) is judged at. Only a rise is anomalous: a faster operation needs no
   * one's attention at night.
   */
  P95_LATENCY("p95_latency", "p95 latency", "ms") {
    @Override
    double minScale(double median, long calls, double valueStandardError) {
      return Math.max(valueStandardError, Math.max(1.0, RELATIVE_FLOOR * Math.abs(median)));
    }

    @Override
    int direction(double z, double threshold) {
      return z >= threshold ? 1 : 0;
    }
  },

  /**
   * Failed calls per call in the window. Floor: the binomial standard error {@code sqrt(p (1 - p) /
   * n)} of a rate measured over the window's {@code n} calls, at {@code p = max(median, 1 / n)}.
   * With an error-free history this makes z about the number of failures in the window (at 20
   * calls, z = 1.03 per failure): five failures in two consecutive windows or ten in one fire at
   * the default threshold, one or two never. Only a rise is anomalous.
   */
  ERROR_RATE("error_rate", "error rate", "ratio") {
    @Override
    double minScale(double median, long calls, double valueStandardError) {
      double p = Math.max(median, 1.0 / calls);
      return Math.max(RELATIVE_FLOOR * Math.abs(median), Math.sqrt(p * (1 - p) / calls));
    }

    @Override
    int direction(double z, double threshold) {
      return z >= threshold ? 1 : 0;
    }
  },

  /**
   * Calls in the window, 0 when the operation was absent. Floor: the Poisson standard deviation
   * {@code sqrt(median)} of a count, and at least 1 call. Both directions are anomalous: a drop is
   * often the first sign of an outage upstream (callers that no longer reach the operation).
   */
  THROUGHPUT("throughput", "throughput", "calls") {
    @Override
    double minScale(double median, long calls, double valueStandardError) {
      return Math.max(1.0, Math.max(RELATIVE_FLOOR * Math.abs(median), Math.sqrt(median)));
    }

    @Override
    int direction(double z, double threshold) {
      return z >= threshold ? 1 : z <= -threshold ? -1 : 0;
    }
  };

  static final double RELATIVE_FLOOR = 0.01;

  private final String label;
  private final String description;
  private final String unit;

  Series(String label, String description, String unit) {
    this.label = label;
    this.description = description;
    this.unit = unit;
  }

  /** The smallest scale for a history with this median, scoring a window of {@code calls}. */
  abstract double minScale(double median, long calls, double valueStandardError);

  /** 1 for an anomalous rise, -1 for an anomalous drop, 0 for neither. */
  abstract int direction(double z, double threshold);

  /** {@code p95_latency}, {@code error_rate} or {@code throughput}: the evidence's series. */
  String label() {
    return label;
  }

  /** {@code p95 latency}, {@code error rate} or {@code throughput}: for titles. */
  String description() {
    return description;
  }

  /** {@code ms}, {@code ratio} or {@code calls}: the unit of value and median. */
  String unit() {
    return unit;
  }
}
