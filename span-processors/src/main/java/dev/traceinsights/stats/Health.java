package dev.traceinsights.stats;

/**
 * How an operation is doing in the recent window, judged by {@link LiveStatistics} from its latency
 * p95 and its error rate against the configured thresholds.
 */
public enum Health {
  HEALTHY(0),
  WARNING(1),
  CRITICAL(2);

  private final int gaugeValue;

  Health(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /** The value of the {@code traceinsights.operation.health} gauge: 0, 1 or 2. */
  public int gaugeValue() {
    return gaugeValue;
  }

  /** The worse of the two. */
  Health worse(Health other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
