package dev.traceinsights.stats;

import dev.traceinsights.tail.OperationHistory;

/** What the tail decisions ask of the past, answered by the live statistics. */
public final class StatisticsHistory implements OperationHistory {

  private final LiveStatistics statistics;

  public StatisticsHistory(LiveStatistics statistics) {
    this.statistics = statistics;
  }

  @Override
  public double durationQuantileNanos(OperationKey operation, double quantile) {
    return statistics.durationQuantileNanos(operation, quantile);
  }

  @Override
  public long recentCalls(OperationKey operation) {
    return statistics.recentCalls(operation);
  }
}
