package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.trace.SpanKind;
import javax.annotation.Nullable;

/**
 * What the analysis found about one span.
 *
 * @param parentSpanId the parent's id, null for a span without a parent in this trace
 * @param selfTimeNanos duration minus the union of its children's intervals clamped to the span
 * @param criticalPathNanos the span's own time on the critical path, 0 when it is not on it
 * @param depth level in its tree: a root is 1, its children 2, ...
 * @param childCount direct children (fan-out)
 * @param error the span has ERROR status or an exception event
 * @param errorFingerprint the fingerprint of its error, null when it has none
 * @param allocatedBytes bytes allocated on the span's thread between its start and end, {@link
 *     TraceTotals#NOT_MEASURED} when unknown (the span ended on another thread, or capture is off)
 */
public record SpanAnalysis(
    String spanId,
    @Nullable String parentSpanId,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    long selfTimeNanos,
    long criticalPathNanos,
    int depth,
    int childCount,
    boolean error,
    @Nullable String errorFingerprint,
    long allocatedBytes) {

  public SpanAnalysis {
    requireNonNull(spanId, "spanId");
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
  }

  public boolean onCriticalPath() {
    return criticalPathNanos > 0;
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }
}
