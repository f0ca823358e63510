package dev.traceinsights.tail;

import dev.traceinsights.stats.OperationKey;

/**
 * What the tail sampler needs to know about an operation's recent past: its live latency quantiles
 * (for "slower than usual") and how often it was seen (for "rare"). Live statistics provide it.
 */
public interface OperationHistory {

  /** Nothing is known: no quantile, no calls. */
  OperationHistory NONE =
      new OperationHistory() {
        @Override
        public double durationQuantileNanos(OperationKey operation, double quantile) {
          return Double.NaN;
        }

        @Override
        public long recentCalls(OperationKey operation) {
          return 0;
        }
      };

  /** The operation's duration at {@code quantile} over the recent window, NaN when unknown. */
  double durationQuantileNanos(OperationKey operation, double quantile);

  /** Calls of the operation in the recent window. */
  long recentCalls(OperationKey operation);
}
