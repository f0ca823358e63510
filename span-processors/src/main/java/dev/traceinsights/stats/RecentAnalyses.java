package dev.traceinsights.stats;

import dev.traceinsights.analysis.TraceAnalysis;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Recently analysed local traces by trace id, bounded by age, count and estimated size (see {@link
 * TraceAnalysisSizeEstimator}). The oldest goes first whichever bound is hit, and every eviction is
 * counted by reason. Several local traces of one trace id (a service called twice in one request)
 * are kept side by side. Guarded by the statistics' lock.
 */
final class RecentAnalyses {

  private final long ttlNanos;
  private final int maxTraces;
  private final long maxBytes;

  private final ArrayDeque<Entry> oldestFirst = new ArrayDeque<>();
  // The oldest entry of each trace id; later ones hang off it in insertion order.
  private final Map<String, Entry> byTraceId = new HashMap<>();
  private long bytes;
  private final long[] evicted = new long[EvictionReason.values().length];

  RecentAnalyses(long ttlNanos, int maxTraces, long maxBytes) {
    this.ttlNanos = ttlNanos;
    this.maxTraces = maxTraces;
    this.maxBytes = maxBytes;
  }

  /** False when retention is off (maximum count 0): nothing is kept and nothing counted. */
  boolean enabled() {
    return maxTraces > 0;
  }

  void add(TraceAnalysis analysis, long estimatedBytes, long nowNanos) {
    expire(nowNanos);
    if (!enabled()) {
      return;
    }
    if (estimatedBytes > maxBytes) {
      // Keeping it would evict everything else and then itself.
      evicted[EvictionReason.SIZE.ordinal()]++;
      return;
    }
    Entry entry = new Entry(analysis, estimatedBytes, nowNanos);
    Entry first = byTraceId.putIfAbsent(analysis.traceId(), entry);
    if (first != null) {
      Entry last = first;
      while (last.next != null) {
        last = last.next;
      }
      last.next = entry;
    }
    oldestFirst.addLast(entry);
    bytes += estimatedBytes;
    while (oldestFirst.size() > maxTraces) {
      evictOldest(EvictionReason.COUNT);
    }
    while (bytes > maxBytes) {
      evictOldest(EvictionReason.SIZE);
    }
  }

  /** Evicts what is {@code ttl} old or older. */
  void expire(long nowNanos) {
    while (!oldestFirst.isEmpty() && nowNanos - oldestFirst.peekFirst().addedNanos >= ttlNanos) {
      evictOldest(EvictionReason.TTL);
    }
  }

  /** The retained analyses of {@code traceId}, oldest first; call {@link #expire} first. */
  List<TraceAnalysis> get(String traceId) {
    Entry entry = byTraceId.get(traceId);
    if (entry == null) {
      return List.of();
    }
    List<TraceAnalysis> result = new ArrayList<>(2);
    for (; entry != null; entry = entry.next) {
      result.add(entry.analysis);
    }
    return Collections.unmodifiableList(result);
  }

  int size() {
    return oldestFirst.size();
  }

  long bytes() {
    return bytes;
  }

  Map<EvictionReason, Long> evicted() {
    Map<EvictionReason, Long> result = new EnumMap<>(EvictionReason.class);
    for (EvictionReason reason : EvictionReason.values()) {
      result.put(reason, evicted[reason.ordinal()]);
    }
    return result;
  }

  private void evictOldest(EvictionReason reason) {
    Entry oldest = oldestFirst.pollFirst();
    // The oldest entry overall is the oldest of its trace id: the head of its chain.
    String traceId = oldest.analysis.traceId();
    if (oldest.next == null) {
      byTraceId.remove(traceId);
    } else {
      byTraceId.put(traceId, oldest.next);
    }
    bytes -= oldest.bytes;
    evicted[reason.ordinal()]++;
  }

  @Override
  public String toString() {
    return "RecentAnalyses{traces="
        + oldestFirst.size()
        + ", bytes="
        + bytes
        + ", maxTraces="
        + maxTraces
        + ", maxBytes="
        + maxBytes
        + ", ttlNanos="
        + ttlNanos
        + ", evicted="
        + evicted()
        + '}';
  }

  private static final class Entry {
    final TraceAnalysis analysis;
    final long bytes;
    final long addedNanos;
    @Nullable Entry next;

    Entry(TraceAnalysis analysis, long bytes, long addedNanos) {
      this.analysis = analysis;
      this.bytes = bytes;
      this.addedNanos = addedNanos;
    }
  }
}
