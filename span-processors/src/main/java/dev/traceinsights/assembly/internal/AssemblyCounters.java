package dev.traceinsights.assembly.internal;

import dev.traceinsights.assembly.ReleaseReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of the local trace assembly, which the processor, its worker and its buffer count
 * into; applications read them through {@link dev.traceinsights.assembly.AssemblyStats}. Safe for
 * any thread.
 */
public final class AssemblyCounters {

  private final LongAdder analyzedTraces = new LongAdder();
  private final LongAdder analyzedSpans = new LongAdder();
  private final LongAdder lateSpans = new LongAdder();
  private final AtomicLongArray releasedSpans = new AtomicLongArray(ReleaseReason.values().length);
  private final LongAdder listenerFailures = new LongAdder();
  private volatile int bufferedTraces;
  private volatile int bufferedSpans;
  private volatile long bufferedBytes;

  public void recordAnalyzed(int spans) {
    analyzedTraces.increment();
    analyzedSpans.add(spans);
  }

  public void recordLate() {
    lateSpans.increment();
  }

  /** Counts {@code spans} released unanalysed for {@code reason}; callable from any thread. */
  public void recordReleased(ReleaseReason reason, int spans) {
    releasedSpans.addAndGet(reason.ordinal(), spans);
  }

  public void recordListenerFailure() {
    listenerFailures.increment();
  }

  public void updateBuffered(int traces, int spans, long bytes) {
    bufferedTraces = traces;
    bufferedSpans = spans;
    bufferedBytes = bytes;
  }

  /** Local traces analysed and exported with their results. */
  public long analyzedTraces() {
    return analyzedTraces.sum();
  }

  public long analyzedSpans() {
    return analyzedSpans.sum();
  }

  /** Spans that ended after their local trace was analysed; exported with a late marker. */
  public long lateSpans() {
    return lateSpans.sum();
  }

  public long releasedSpans(ReleaseReason reason) {
    return releasedSpans.get(reason.ordinal());
  }

  public Map<ReleaseReason, Long> releasedSpans() {
    Map<ReleaseReason, Long> result = new EnumMap<>(ReleaseReason.class);
    for (ReleaseReason reason : ReleaseReason.values()) {
      result.put(reason, releasedSpans(reason));
    }
    return result;
  }

  public long listenerFailures() {
    return listenerFailures.sum();
  }

  public int bufferedTraces() {
    return bufferedTraces;
  }

  public int bufferedSpans() {
    return bufferedSpans;
  }

  public long bufferedBytes() {
    return bufferedBytes;
  }

  @Override
  public String toString() {
    return "AssemblyCounters{analyzedTraces="
        + analyzedTraces()
        + ", analyzedSpans="
        + analyzedSpans()
        + ", lateSpans="
        + lateSpans()
        + ", releasedSpans="
        + releasedSpans()
        + ", listenerFailures="
        + listenerFailures()
        + ", bufferedTraces="
        + bufferedTraces
        + ", bufferedSpans="
        + bufferedSpans
        + ", bufferedBytes="
        + bufferedBytes
        + '}';
  }
}
