package dev.traceinsights.stats;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.BottleneckCategory;

/**
 * How often spans of one operation were a trace's bottleneck, for one category.
 *
 * @param overflow the operation is an overflow series (span name {@code _OTHER}) standing for
 *     operations beyond the cardinality bound
 * @param count traces in which a span of the operation was a bottleneck of this category
 * @param totalCriticalPathNanos the sum of those spans' own time on their critical paths
 */
public record BottleneckStatistics(
    OperationKey operation,
    boolean overflow,
    BottleneckCategory category,
    long count,
    long totalCriticalPathNanos) {

  public BottleneckStatistics {
    requireNonNull(operation, "operation");
    requireNonNull(category, "category");
  }
}
