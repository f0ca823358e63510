package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

/**
 * A span whose own time on the critical path is the largest of its trace.
 *
 * @param criticalPathNanos the span's own time on the critical path (sum of its sections)
 * @param selfTimeNanos the span's whole self time, on the critical path or not
 */
public record Bottleneck(
    String spanId,
    String spanName,
    BottleneckCategory category,
    long criticalPathNanos,
    long selfTimeNanos) {

  public Bottleneck {
    requireNonNull(spanId, "spanId");
    requireNonNull(spanName, "spanName");
    requireNonNull(category, "category");
  }
}
