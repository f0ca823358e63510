package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * How deep and how wide a trace is.
 *
 * @param depth levels on the longest root-to-leaf path; a lone root has depth 1
 * @param maxFanOut the most direct children of any one span
 * @param maxFanOutSpanId the span with {@code maxFanOut} children, null when no span has children
 */
public record TraceShape(
    int depth,
    ThresholdStatus depthStatus,
    int maxFanOut,
    @Nullable String maxFanOutSpanId,
    ThresholdStatus fanOutStatus) {

  public TraceShape {
    requireNonNull(depthStatus, "depthStatus");
    requireNonNull(fanOutStatus, "fanOutStatus");
  }
}
