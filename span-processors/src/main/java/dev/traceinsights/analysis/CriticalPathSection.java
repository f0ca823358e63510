package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

/**
 * One section of a trace's critical path: the interval during which {@code spanId} itself (not one
 * of its children) was what the trace's end waited for.
 */
public record CriticalPathSection(String spanId, long startEpochNanos, long endEpochNanos) {

  public CriticalPathSection {
    requireNonNull(spanId, "spanId");
    if (endEpochNanos < startEpochNanos) {
      throw new IllegalArgumentException("endEpochNanos must not be before startEpochNanos");
    }
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }
}
