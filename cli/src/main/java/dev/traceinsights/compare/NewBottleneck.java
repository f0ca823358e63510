package dev.traceinsights.compare;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.stats.OperationKey;

/**
 * An operation that is the bottleneck of a notable share of the run's traces but of none or far
 * fewer of the baseline's.
 *
 * @param runTraces run traces it is a bottleneck of
 * @param runTotal run traces analysed
 * @param baselineTraces baseline traces it is a bottleneck of
 * @param baselineTotal baseline traces analysed
 */
public record NewBottleneck(
    OperationKey operation, int runTraces, int runTotal, int baselineTraces, int baselineTotal) {

  public NewBottleneck {
    requireNonNull(operation, "operation");
  }

  public double runShare() {
    return runTotal == 0 ? 0 : (double) runTraces / runTotal;
  }

  public double baselineShare() {
    return baselineTotal == 0 ? 0 : (double) baselineTraces / baselineTotal;
  }
}
