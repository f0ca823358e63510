package dev.traceinsights.collector.assembly;

import dev.traceinsights.assembly.internal.SpanSizeEstimator;
import dev.traceinsights.collector.receiver.Admission;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Holds the spans of each trace, from every service, until the whole trace is there. A trace is
 * handed on as soon as it looks complete (its root is present and every span's parent is present)
 * and a short quiet period has passed without new spans, rather than after a fixed wait for every
 * trace; a trace entered from an untraced caller waits a little longer (see {@link #shape}); a hard
 * timeout hands on the rest, marked as such. Spans that arrive after their trace was handed on are
 * late: they are collected for the caller, which applies the decision already made.
 *
 * <p>Bounded by traces, spans per trace and estimated bytes. A request that would exceed the trace
 * or byte limit is refused as a whole, so that the sender backs off and retries (see {@link
 * Admission}); nothing is dropped silently. Thread-safe: receivers add, one processor thread takes.
 */
public final class WholeTraceBuffer {

  /** How long a refused sender is asked to wait: long enough for a few decisions to free memory. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** Late spans wait for the processor thread, which takes them every few milliseconds. */
  static final int MAX_LATE = 100_000;

  private final BufferLimits limits;
  private final long quietNanos;
  private final long upstreamNanos;
  private final long timeoutNanos;
  private final Map<String, Entry> traces = new HashMap<>();
  private final Set<String> handedOn;
  private List<SpanData> late = new ArrayList<>();
  private long bytes;
  private long spans;
  private long nextDueNanos = Long.MAX_VALUE;
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder refusedRequests = new LongAdder();
  private final LongAdder droppedLate = new LongAdder();

  public WholeTraceBuffer(BufferLimits limits) {
    this.limits = limits;
    this.quietNanos = limits.quietPeriod().toNanos();
    this.upstreamNanos = Math.max(quietNanos, limits.upstreamWait().toNanos());
    this.timeoutNanos = limits.timeout().toNanos();
    int cacheSize = limits.decisionCacheSize();
    this.handedOn =
        Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > cacheSize;
              }
            });
  }

  /**
   * Takes all of {@code offered} or, when the trace or byte limit would be exceeded, none of it.
   * Duplicates of a span already buffered (a sender's retry) are dropped and counted.
   */
  public synchronized Admission add(List<SpanData> offered, long nowNanos) {
    long[] sizes = new long[offered.size()];
    long offeredBytes = 0;
    int newTraces = 0;
    String previous = null;
    for (int i = 0; i < sizes.length; i++) {
      SpanData span = offered.get(i);
      sizes[i] = SpanSizeEstimator.estimate(span);
      offeredBytes += sizes[i];
      String traceId = span.getTraceId();
      // Spans of one trace usually come together: each new trace is counted once.
      if (!traceId.equals(previous)
          && !traces.containsKey(traceId)
          && !handedOn.contains(traceId)) {
        newTraces++;
      }
      previous = traceId;
    }
    if (bytes + offeredBytes > limits.maxBytes() && !offered.isEmpty()) {
      refusedRequests.increment();
      return Admission.refused(RETRY_AFTER, "the collector's span buffer is full; retry later");
    }
    if (newTraces > 0 && traces.size() >= limits.maxTraces()) {
      refusedRequests.increment();
      return Admission.refused(RETRY_AFTER, "the collector holds its limit of traces; retry later");
    }
    String lastTraceId = null;
    Entry entry = null;
    for (int i = 0; i < sizes.length; i++) {
      SpanData span = offered.get(i);
      String traceId = span.getTraceId();
      if (!traceId.equals(lastTraceId)) {
        lastTraceId = traceId;
        entry =
            handedOn.contains(traceId)
                ? null
                : traces.computeIfAbsent(traceId, id -> new Entry(nowNanos));
      }
      if (entry == null) {
        if (late.size() < MAX_LATE) {
          late.add(span);
        } else {
          droppedLate.increment();
        }
        continue;
      }
      if (!entry.spanIds.add(span.getSpanId())) {
        duplicates.increment();
        continue;
      }
      long size = sizes[i];
      entry.spans.add(span);
      entry.bytes += size;
      entry.lastNanos = nowNanos;
      entry.changed = true;
      bytes += size;
      spans++;
      // The trace is due a quiet period from now at the earliest.
      nextDueNanos = Math.min(nextDueNanos, nowNanos + Math.min(quietNanos, timeoutNanos));
    }
    return Admission.accept();
  }

  /**
   * The traces that are due at {@code nowNanos}: complete and quiet, over the span limit, or past
   * the timeout. They are removed and remembered as handed on, so their later spans become late.
   */
  public synchronized List<ReadyTrace> takeDue(long nowNanos) {
    List<ReadyTrace> due = new ArrayList<>();
    long next = Long.MAX_VALUE;
    Iterator<Map.Entry<String, Entry>> it = traces.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Entry> item = it.next();
      Entry entry = item.getValue();
      Completion completion = null;
      if (entry.spans.size() >= limits.maxSpansPerTrace()) {
        completion = Completion.SPAN_LIMIT;
      } else if (nowNanos - entry.firstNanos >= timeoutNanos) {
        completion = Completion.TIMEOUT;
      } else {
        long quiet = nowNanos - entry.lastNanos;
        if (entry.changed && quiet >= quietNanos) {
          entry.changed = false; // judged once per arrival, not once per tick
          entry.shape = shape(entry);
        }
        if ((entry.shape == Shape.ROOTED && quiet >= quietNanos)
            || (entry.shape == Shape.ENTERED && quiet >= upstreamNanos)) {
          completion = Completion.COMPLETE;
        }
      }
      if (completion != null) {
        it.remove();
        release(item.getKey(), entry);
        due.add(new ReadyTrace(item.getKey(), entry.spans, completion));
      } else {
        next = Math.min(next, dueAt(entry));
      }
    }
    nextDueNanos = next;
    return due;
  }

  /** When {@code entry} is due at the earliest, as far as is known now. */
  private long dueAt(Entry entry) {
    long due = entry.firstNanos + timeoutNanos;
    if (entry.changed) {
      due = Math.min(due, entry.lastNanos + quietNanos);
    } else if (entry.shape == Shape.ENTERED) {
      due = Math.min(due, entry.lastNanos + upstreamNanos);
    }
    return due;
  }

  /** Hands on every buffered trace, for a shutdown. */
  public synchronized List<ReadyTrace> takeAll() {
    List<ReadyTrace> all = new ArrayList<>(traces.size());
    for (Map.Entry<String, Entry> item : traces.entrySet()) {
      release(item.getKey(), item.getValue());
      all.add(new ReadyTrace(item.getKey(), item.getValue().spans, Completion.SHUTDOWN));
    }
    traces.clear();
    return all;
  }

  /** The spans that arrived after their trace was handed on, since the last call. */
  public synchronized List<SpanData> takeLate() {
    if (late.isEmpty()) {
      return List.of();
    }
    List<SpanData> taken = late;
    late = new ArrayList<>();
    return taken;
  }

  /**
   * Nanoseconds from {@code nowNanos} until the earliest trace could be due: kept up to date by
   * {@link #add} and {@link #takeDue}, so that asking costs nothing.
   */
  public synchronized long nanosUntilNextDue(long nowNanos) {
    return nextDueNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, nextDueNanos - nowNanos);
  }

  public synchronized int bufferedTraces() {
    return traces.size();
  }

  public synchronized long bufferedSpans() {
    return spans;
  }

  public synchronized long bufferedBytes() {
    return bytes;
  }

  public long duplicateSpans() {
    return duplicates.sum();
  }

  public long refusedRequests() {
    return refusedRequests.sum();
  }

  /** Late spans dropped because the processor thread had not taken the earlier ones. */
  public long droppedLateSpans() {
    return droppedLate.sum();
  }

  private void release(String traceId, Entry entry) {
    handedOn.add(traceId);
    bytes -= entry.bytes;
    spans -= entry.spans.size();
  }

  /**
   * How complete a trace looks: {@link Shape#ROOTED} when it has a root and every other span's
   * parent is among its spans; {@link Shape#ENTERED} when instead exactly one span misses its
   * parent and that span is a server or consumer: an entry point whose caller is not traced (a
   * browser, a gateway) but sent a {@code traceparent}. Such a trace waits longer ({@code
   * upstream_wait}), since the same shape is also what a service's part looks like before its
   * caller's spans arrive.
   */
  private static Shape shape(Entry entry) {
    boolean root = false;
    int missingParents = 0;
    boolean entryPoint = false;
    for (SpanData span : entry.spans) {
      if (!span.getParentSpanContext().isValid()) {
        root = true;
      } else if (!entry.spanIds.contains(span.getParentSpanId())) {
        missingParents++;
        entryPoint = span.getKind() == SpanKind.SERVER || span.getKind() == SpanKind.CONSUMER;
      }
    }
    if (missingParents == 0) {
      return root ? Shape.ROOTED : Shape.INCOMPLETE;
    }
    return !root && missingParents == 1 && entryPoint ? Shape.ENTERED : Shape.INCOMPLETE;
  }

  private enum Shape {
    INCOMPLETE,
    ROOTED,
    ENTERED
  }

  private static final class Entry {
    final List<SpanData> spans = new ArrayList<>();
    final Set<String> spanIds = new HashSet<>();
    final long firstNanos;
    long lastNanos;
    long bytes;
    boolean changed;
    Shape shape = Shape.INCOMPLETE;

    Entry(long firstNanos) {
      this.firstNanos = firstNanos;
      this.lastNanos = firstNanos;
    }
  }
}
