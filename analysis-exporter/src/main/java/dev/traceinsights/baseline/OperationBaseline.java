package dev.traceinsights.baseline;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.stats.OperationKey;
import java.util.Arrays;
import java.util.List;

/**
 * What is normal for one operation.
 *
 * @param operation the operation
 * @param calls spans recorded
 * @param errors of which failed
 * @param durations a sketch of all recorded durations (1 % relative accuracy): the quantiles
 * @param sampledDurationsNanos a bounded sample of the durations in which every recorded call had
 *     the same chance to be (see {@code DurationSample}): what rank tests compare; a copy is kept
 *     and returned, in no particular order
 * @param slowestTraceIds trace ids of the slowest calls recorded with one, slowest first (at most
 *     3)
 */
public record OperationBaseline(
    OperationKey operation,
    long calls,
    long errors,
    DurationSketch durations,
    long[] sampledDurationsNanos,
    List<String> slowestTraceIds) {

  public OperationBaseline {
    requireNonNull(operation, "operation");
    requireNonNull(durations, "durations");
    sampledDurationsNanos = requireNonNull(sampledDurationsNanos, "sampledDurationsNanos").clone();
    slowestTraceIds = List.copyOf(requireNonNull(slowestTraceIds, "slowestTraceIds"));
    if (calls < 1) {
      throw new IllegalArgumentException("calls must be positive, was " + calls);
    }
    if (errors < 0 || errors > calls) {
      throw new IllegalArgumentException("errors must be in [0, calls], was " + errors);
    }
    if (sampledDurationsNanos.length > calls) {
      throw new IllegalArgumentException("more sampled durations than calls");
    }
    if (durations.isEmpty()) {
      throw new IllegalArgumentException("durations must not be empty");
    }
    for (long duration : sampledDurationsNanos) {
      if (duration < 0) {
        throw new IllegalArgumentException("sampledDurationsNanos must be non-negative");
      }
    }
  }

  /** A copy of the sample: the record stays immutable. */
  @Override
  public long[] sampledDurationsNanos() {
    return sampledDurationsNanos.clone();
  }

  /** How many durations the sample holds, without copying it. */
  public int sampleSize() {
    return sampledDurationsNanos.length;
  }

  /** The duration at {@code quantile} from the sketch, within 1 % of the exact value. */
  public double quantileNanos(double quantile) {
    return durations.quantileNanos(quantile);
  }

  public double p50Nanos() {
    return quantileNanos(0.50);
  }

  public double p90Nanos() {
    return quantileNanos(0.90);
  }

  public double p95Nanos() {
    return quantileNanos(0.95);
  }

  public double p99Nanos() {
    return quantileNanos(0.99);
  }

  /** Errors per call. */
  public double errorRate() {
    return (double) errors / calls;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OperationBaseline that
        && operation.equals(that.operation)
        && calls == that.calls
        && errors == that.errors
        && durations.equals(that.durations)
        && Arrays.equals(sampledDurationsNanos, that.sampledDurationsNanos)
        && slowestTraceIds.equals(that.slowestTraceIds);
  }

  @Override
  public int hashCode() {
    int hash = operation.hashCode();
    hash = 31 * hash + Long.hashCode(calls);
    hash = 31 * hash + Long.hashCode(errors);
    hash = 31 * hash + durations.hashCode();
    hash = 31 * hash + Arrays.hashCode(sampledDurationsNanos);
    return 31 * hash + slowestTraceIds.hashCode();
  }

  @Override
  public String toString() {
    return "OperationBaseline{operation="
        + operation
        + ", calls="
        + calls
        + ", errors="
        + errors
        + ", durations="
        + durations
        + ", sampleSize="
        + sampledDurationsNanos.length
        + ", slowestTraceIds="
        + slowestTraceIds
        + '}';
  }
}
