package dev.traceinsights.assembly;

import dev.traceinsights.assembly.internal.AssemblyCounters;
import java.util.Map;

/**
 * Counters of the local trace assembly, readable from any thread. Everything Trace Insights does
 * not analyse is counted here by reason, so drops are visible. A read-only view: the processor
 * counts.
 */
public final class AssemblyStats {

  private final AssemblyCounters counters;

  /** A view of {@code counters}; the processor makes it. */
  public AssemblyStats(AssemblyCounters counters) {
    this.counters = counters;
  }

  /** Local traces analysed and exported with their results. */
  public long analyzedTraces() {
    return counters.analyzedTraces();
  }

  public long analyzedSpans() {
    return counters.analyzedSpans();
  }

  /** Spans that ended after their local trace was analysed; exported with a late marker. */
  public long lateSpans() {
    return counters.lateSpans();
  }

  /** Spans exported without analysis for {@code reason}. */
  public long releasedSpans(ReleaseReason reason) {
    return counters.releasedSpans(reason);
  }

  /** Spans exported without analysis, by reason. */
  public Map<ReleaseReason, Long> releasedSpans() {
    return counters.releasedSpans();
  }

  public long listenerFailures() {
    return counters.listenerFailures();
  }

  public int bufferedTraces() {
    return counters.bufferedTraces();
  }

  public int bufferedSpans() {
    return counters.bufferedSpans();
  }

  public long bufferedBytes() {
    return counters.bufferedBytes();
  }

  @Override
  public String toString() {
    return counters.toString().replaceFirst("^AssemblyCounters", "AssemblyStats");
  }
}
