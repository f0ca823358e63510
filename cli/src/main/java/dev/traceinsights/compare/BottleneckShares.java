package dev.traceinsights.compare;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.stats.OperationKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many traces each operation is a bottleneck of ({@code TraceAnalysis.bottlenecks()}: the span
 * with the largest own time on the critical path, several on a tie).
 *
 * @param traces traces analysed
 * @param bottleneckTraces per operation, traces it is a bottleneck of (once per trace)
 */
public record BottleneckShares(int traces, Map<OperationKey, Integer> bottleneckTraces) {

  public BottleneckShares {
    requireNonNull(bottleneckTraces, "bottleneckTraces");
    bottleneckTraces = Collections.unmodifiableMap(new LinkedHashMap<>(bottleneckTraces));
    if (traces < 0) {
      throw new IllegalArgumentException("traces must be non-negative");
    }
  }

  /** Traces {@code operation} is a bottleneck of. */
  public int traces(OperationKey operation) {
    return bottleneckTraces.getOrDefault(operation, 0);
  }

  /** The share of traces {@code operation} is a bottleneck of, 0 without traces. */
  public double share(OperationKey operation) {
    return traces == 0 ? 0 : (double) traces(operation) / traces;
  }
}
