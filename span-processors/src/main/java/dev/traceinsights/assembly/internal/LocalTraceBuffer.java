package dev.traceinsights.assembly.internal;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.internal.SpanIdIndex;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Groups ended spans into local traces and decides when each is complete.
 *
 * <p>A <em>local root</em> is a span whose parent is remote or absent. A local trace is a local
 * root with every buffered span below it; it is complete {@code grace} after its root ended, so
 * children that end a little later (async work) are still included. Spans are keyed by trace id,
 * and several local roots of one trace (a service called twice in one request) complete separately.
 *
 * <p>Memory is bounded by {@link AssemblyLimits}: beyond {@code maxTraces} or {@code maxBytes} the
 * oldest trace is evicted (its ended local roots analysed early, the rest released unanalysed);
 * beyond {@code maxSpansPerTrace} the trace is released; a trace whose local root has not ended
 * {@code traceTimeout} after its first span is released. Every release is counted in {@link
 * AssemblyCounters} and later spans of a released trace follow it straight to export. Span ids of
 * recently analysed local traces are remembered (up to {@code rememberedSpans}) so that a span
 * ending after its trace was analysed is exported at once as late instead of waiting for a root
 * that already left.
 *
 * <p>Not thread-safe: owned by the single analysis thread. Times are {@code System.nanoTime()}
 * style readings passed in by the caller.
 */
public final class LocalTraceBuffer {

  private final AssemblyLimits limits;
  private final LocalTraceSink sink;
  private final AssemblyCounters stats;
  private final long graceNanos;
  private final long timeoutNanos;

  // Insertion order is first-seen order: the eldest entry is the next to time out or be evicted.
  private final LinkedHashMap<String, PendingTrace> pending = new LinkedHashMap<>();
  // Deadlines only grow (constant grace, monotonic clock), so a FIFO queue stays sorted.
  private final ArrayDeque<EndedRoot> endedRoots = new ArrayDeque<>();
  private final RecentTraces recent;
  private int bufferedSpans;
  private long bufferedBytes;

  public LocalTraceBuffer(AssemblyLimits limits, LocalTraceSink sink, AssemblyCounters stats) {
    this.limits = requireNonNull(limits, "limits");
    this.sink = requireNonNull(sink, "sink");
    this.stats = requireNonNull(stats, "stats");
    this.graceNanos = limits.grace().toNanos();
    this.timeoutNanos = limits.traceTimeout().toNanos();
    this.recent = new RecentTraces(limits.rememberedSpans());
  }

  /** Buffers an ended span, or passes it on at once when its trace was already decided. */
  public void add(SpanData span, long nowNanos) {
    String traceId = span.getTraceId();
    ReleaseReason released = recent.releaseReason(traceId);
    if (released != null) {
      stats.recordReleased(released, 1);
      sink.late(span, released);
      return;
    }
    SpanContext parent = span.getParentSpanContext();
    PendingTrace trace = pending.get(traceId);
    if (parent.isValid()
        && !parent.isRemote()
        && recent.analysedSpan(traceId, parent.getSpanId())) {
      addLate(span, trace);
      publishGauges();
      return;
    }
    if (trace == null) {
      if (pending.size() >= limits.maxTraces()) {
        evictEldest(ReleaseReason.TRACE_LIMIT);
      }
      trace = new PendingTrace(traceId, nowNanos);
      pending.put(traceId, trace);
    } else if (trace.spans.size() >= limits.maxSpansPerTrace()) {
      trace.spans.add(span); // released with the others, never counted as buffered
      releaseTrace(trace, ReleaseReason.SPAN_LIMIT);
      publishGauges();
      return;
    }
    long bytes = SpanSizeEstimator.estimate(span);
    trace.add(span, bytes);
    bufferedSpans++;
    bufferedBytes += bytes;
    if (!parent.isValid() || parent.isRemote()) {
      trace.endedRoots++;
      endedRoots.add(new EndedRoot(trace, span, nowNanos + graceNanos));
    }
    while (bufferedBytes > limits.maxBytes() && !pending.isEmpty()) {
      evictEldest(ReleaseReason.BYTE_LIMIT);
    }
    publishGauges();
  }

  /** Completes local traces whose grace has passed and releases traces that timed out. */
  public void advance(long nowNanos) {
    while (!endedRoots.isEmpty() && endedRoots.peekFirst().dueNanos - nowNanos <= 0) {
      complete(endedRoots.pollFirst());
    }
    while (!pending.isEmpty()) {
      PendingTrace eldest = pending.values().iterator().next();
      if (nowNanos - eldest.firstSeenNanos < timeoutNanos) {
        break;
      }
      evict(eldest, ReleaseReason.TIMEOUT);
    }
    publishGauges();
  }

  /** Completes every local trace whose root has ended, without waiting for the grace. */
  public void completeEnded() {
    while (!endedRoots.isEmpty()) {
      complete(endedRoots.pollFirst());
    }
    publishGauges();
  }

  /** Completes what can be completed and releases everything else, e.g. at shutdown. */
  public void drain(ReleaseReason reasonForTheRest) {
    completeEnded();
    while (!pending.isEmpty()) {
      releaseTrace(pending.values().iterator().next(), reasonForTheRest);
    }
    publishGauges();
  }

  /**
   * Nanos until the next local trace is due, or {@code Long.MAX_VALUE} when none is waiting. A
   * timeout may also fall due; callers wake up at least every so often anyway.
   */
  public long nanosUntilNextDue(long nowNanos) {
    EndedRoot next = endedRoots.peekFirst();
    return next == null ? Long.MAX_VALUE : Math.max(0, next.dueNanos - nowNanos);
  }

  public int bufferedTraces() {
    return pending.size();
  }

  public int bufferedSpans() {
    return bufferedSpans;
  }

  public long bufferedBytes() {
    return bufferedBytes;
  }

  private void complete(EndedRoot ended) {
    PendingTrace trace = ended.trace;
    if (trace.released) {
      return;
    }
    trace.endedRoots--;
    List<SpanData> localTrace = removeSubtree(trace, ended.root.getSpanId());
    if (!trace.released) {
      // What is left belongs to other local roots still running: give them their full timeout.
      pending.remove(trace.traceId);
      trace.firstSeenNanos = ended.dueNanos - graceNanos;
      pending.put(trace.traceId, trace);
    }
    recent.rememberAnalysed(trace.traceId, localTrace);
    sink.complete(ended.root, localTrace);
  }

  /**
   * A span whose parent was already analysed is late; so is everything buffered below it (its own
   * children usually end, and arrive, before it does).
   */
  private void addLate(SpanData span, @Nullable PendingTrace trace) {
    List<SpanData> lateSpans = List.of(span);
    if (trace != null) {
      long bytes = SpanSizeEstimator.estimate(span);
      trace.add(span, bytes);
      bufferedSpans++;
      bufferedBytes += bytes;
      lateSpans = removeSubtree(trace, span.getSpanId());
    }
    recent.rememberAnalysed(span.getTraceId(), lateSpans);
    for (SpanData late : lateSpans) {
      stats.recordLate();
      sink.late(late, null);
    }
  }

  /** Takes {@code rootSpanId}'s subtree out of {@code trace}, keeping the totals in step. */
  private List<SpanData> removeSubtree(PendingTrace trace, String rootSpanId) {
    List<SpanData> subtree = trace.removeSubtree(rootSpanId);
    long bytes = 0;
    for (SpanData span : subtree) {
      bytes += SpanSizeEstimator.estimate(span);
    }
    trace.bytes -= bytes;
    bufferedSpans -= subtree.size();
    bufferedBytes -= bytes;
    if (trace.spans.isEmpty()) {
      trace.released = true;
      pending.remove(trace.traceId);
    }
    return subtree;
  }

  private void evictEldest(ReleaseReason reason) {
    evict(pending.values().iterator().next(), reason);
  }

  /** Analyses the ended local roots of {@code trace} early, then releases whatever is left. */
  private void evict(PendingTrace trace, ReleaseReason reason) {
    // complete() counts trace.endedRoots down: the scan stops at the trace's last ended root,
    // which for the eldest trace is near the front of the queue. Scanning on to the end made every
    // eviction cost the whole queue once the buffer was full (measured: 18k instead of 171k
    // one-span traces a second at 4096 traces).
    for (Iterator<EndedRoot> it = endedRoots.iterator(); trace.endedRoots > 0 && it.hasNext(); ) {
      EndedRoot ended = it.next();
      if (ended.trace == trace) {
        it.remove();
        complete(ended);
      }
    }
    if (!trace.released) {
      releaseTrace(trace, reason);
    }
  }

  private void releaseTrace(PendingTrace trace, ReleaseReason reason) {
    trace.released = true;
    pending.remove(trace.traceId);
    bufferedSpans -= trace.countedSpans;
    bufferedBytes -= trace.bytes;
    recent.rememberReleased(trace.traceId, reason);
    stats.recordReleased(reason, trace.spans.size());
    sink.release(trace.spans, reason);
  }

  private void publishGauges() {
    stats.updateBuffered(pending.size(), bufferedSpans, bufferedBytes);
  }

  @Override
  public String toString() {
    return "LocalTraceBuffer{limits="
        + limits
        + ", traces="
        + pending.size()
        + ", spans="
        + bufferedSpans
        + ", bytes="
        + bufferedBytes
        + '}';
  }

  private static final class PendingTrace {
    final String traceId;
    final ArrayList<SpanData> spans = new ArrayList<>(8);
    long firstSeenNanos;
    long bytes;
    // Spans counted in the buffer's totals (the one that overflows a trace never is).
    int countedSpans;
    int endedRoots;
    boolean released;

    PendingTrace(String traceId, long firstSeenNanos) {
      this.traceId = traceId;
      this.firstSeenNanos = firstSeenNanos;
    }

    void add(SpanData span, long estimatedBytes) {
      spans.add(span);
      bytes += estimatedBytes;
      countedSpans++;
    }

    /** Removes and returns {@code rootSpanId} and every span below it, in arrival order. */
    List<SpanData> removeSubtree(String rootSpanId) {
      int n = spans.size();
      SpanIdIndex indexById = SpanIdIndex.of(spans);
      // 0 = not yet known, 1 = below the root, 2 = elsewhere. Each span is resolved once.
      byte[] membership = new byte[n];
      int[] path = new int[n];
      for (int i = 0; i < n; i++) {
        int length = 0;
        int current = i;
        byte verdict = 2;
        while (true) {
          if (membership[current] != 0) {
            verdict = membership[current];
            break;
          }
          SpanData span = spans.get(current);
          path[length++] = current;
          if (span.getSpanId().equals(rootSpanId)) {
            verdict = 1;
            break;
          }
          SpanContext parent = span.getParentSpanContext();
          int parentIndex =
              parent.isValid() && !parent.isRemote() ? indexById.get(parent.getSpanId()) : -1;
          if (parentIndex < 0 || length == n) {
            break; // a root of its own, or a cycle: not below rootSpanId
          }
          current = parentIndex;
        }
        for (int j = 0; j < length; j++) {
          membership[path[j]] = verdict;
        }
      }
      List<SpanData> subtree = new ArrayList<>(n);
      ArrayList<SpanData> rest = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (membership[i] == 1 ? subtree : rest).add(spans.get(i));
      }
      spans.clear();
      spans.addAll(rest);
      countedSpans = rest.size();
      return subtree;
    }
  }

  private record EndedRoot(PendingTrace trace, SpanData root, long dueNanos) {}
}
