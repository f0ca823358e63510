package dev.traceinsights.collector.analysis;

import dev.traceinsights.semconv.InsightAttributes;

/**
 * How the results a service's Trace Insights extension computed on its local trace coexist with the
 * whole trace's: they do not. A span carries one answer per key, and the collector's is the better
 * informed one (the frontend's local bottleneck is its remote call; the whole trace's is the
 * backend's query below it). So the collector drops the extension's derived attributes when it
 * receives a span and writes its own under the same keys. What only the application could measure
 * stays: allocated bytes and CPU time of the span, which the whole-trace analysis reads too.
 */
public final class LocalResults {

  private static final String PREFIX = "traceinsights.";

  private LocalResults() {}

  /** Whether {@code key} is a result of the local analysis, to be replaced by the whole trace's. */
  public static boolean isLocalResult(String key) {
    // Most keys are not ours: the first character settles it without a string comparison.
    return !key.isEmpty()
        && key.charAt(0) == 't'
        && key.startsWith(PREFIX)
        && !key.equals(InsightAttributes.SPAN_ALLOCATED_BYTES.getKey())
        && !key.equals(InsightAttributes.SPAN_CPU_TIME_NS.getKey());
  }
}
