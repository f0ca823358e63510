package dev.traceinsights.tail;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counters of the tail decisions, written by the analysis thread and readable from any thread. */
public final class TailSamplingStats {

  private final AtomicLongArray keptTraces = new AtomicLongArray(KeepReason.values().length);
  private final AtomicLongArray keptSpans = new AtomicLongArray(KeepReason.values().length);
  private final AtomicLongArray droppedTraces = new AtomicLongArray(DropReason.values().length);
  private final AtomicLongArray droppedSpans = new AtomicLongArray(DropReason.values().length);
  private final AtomicLongArray lateSpans = new AtomicLongArray(2);

  TailSamplingStats() {}

  void record(TailDecision decision, int spans) {
    KeepReason kept = decision.keepReason();
    if (kept != null) {
      keptTraces.incrementAndGet(kept.ordinal());
      keptSpans.addAndGet(kept.ordinal(), spans);
    } else {
      DropReason dropped = decision.dropReason();
      droppedTraces.incrementAndGet(dropped.ordinal());
      droppedSpans.addAndGet(dropped.ordinal(), spans);
    }
  }

  void recordLate(boolean kept) {
    lateSpans.incrementAndGet(kept ? 0 : 1);
  }

  public long keptTraces(KeepReason reason) {
    return keptTraces.get(reason.ordinal());
  }

  public long keptSpans(KeepReason reason) {
    return keptSpans.get(reason.ordinal());
  }

  public long droppedTraces(DropReason reason) {
    return droppedTraces.get(reason.ordinal());
  }

  public long droppedSpans(DropReason reason) {
    return droppedSpans.get(reason.ordinal());
  }

  /** Spans that arrived after their trace was kept, and were exported with it. */
  public long lateSpansKept() {
    return lateSpans.get(0);
  }

  /** Spans that arrived after their trace was dropped, and were dropped with it. */
  public long lateSpansDropped() {
    return lateSpans.get(1);
  }

  public Map<KeepReason, Long> keptTraces() {
    Map<KeepReason, Long> result = new EnumMap<>(KeepReason.class);
    for (KeepReason reason : KeepReason.values()) {
      result.put(reason, keptTraces(reason));
    }
    return result;
  }

  public Map<DropReason, Long> droppedTraces() {
    Map<DropReason, Long> result = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      result.put(reason, droppedTraces(reason));
    }
    return result;
  }

  @Override
  public String toString() {
    return "TailSamplingStats{keptTraces="
        + keptTraces()
        + ", droppedTraces="
        + droppedTraces()
        + ", lateSpansKept="
        + lateSpansKept()
        + ", lateSpansDropped="
        + lateSpansDropped()
        + '}';
  }
}
