package dev.traceinsights.collector.analysis;

import dev.traceinsights.internal.SpanIdIndex;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corrects for clocks that disagree between hosts, in the way of Jaeger's clock-skew adjuster: a
 * span recorded by another process than its parent's, and lying outside its parent, is shifted into
 * it, and its own process's descendants move with it.
 *
 * <ul>
 *   <li>Across a remote call (client parent, server child) the child is centred in its parent: the
 *       request and response are assumed to take equally long on the network. A child longer than
 *       its parent cannot fit; it is aligned with the parent's start.
 *   <li>Across a message (producer parent, consumer child, or any other pair) the child may rightly
 *       start after its parent ended, so it is moved only when it starts before its parent does, to
 *       the parent's start.
 * </ul>
 *
 * <p>Two spans are from the same process when their resources are equal. The adjusted times serve
 * the analysis only: exported spans keep their recorded times and carry the shift in {@code
 * traceinsights.span.clock_skew_ns}. A skewed clock therefore never puts a server span before its
 * client's request and so never invents a critical path.
 */
public final class ClockSkewAdjuster {

  private ClockSkewAdjuster() {}

  /**
   * The spans, in the same order, with adjusted times where a shift was needed, and the shift per
   * span id (only the non-zero ones).
   */
  public static Adjusted adjust(List<SpanData> spans) {
    SpanIdIndex index = SpanIdIndex.of(spans);
    List<List<Integer>> children = new ArrayList<>(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      children.add(null);
    }
    Deque<Integer> pending = new ArrayDeque<>();
    for (int i = 0; i < spans.size(); i++) {
      SpanData span = spans.get(i);
      int parent = span.getParentSpanContext().isValid() ? index.get(span.getParentSpanId()) : -1;
      if (parent < 0 || parent == i) {
        pending.add(i);
      } else {
        if (children.get(parent) == null) {
          children.set(parent, new ArrayList<>(2));
        }
        children.get(parent).add(i);
      }
    }
    long[] shift = new long[spans.size()];
    boolean[] seen = new boolean[spans.size()];
    boolean any = false;
    // Breadth first from the roots: a child's shift needs its parent's. Never recursive.
    while (!pending.isEmpty()) {
      int parent = pending.poll();
      seen[parent] = true;
      List<Integer> kids = children.get(parent);
      if (kids == null) {
        continue;
      }
      SpanData p = spans.get(parent);
      for (int child : kids) {
        if (seen[child]) {
          continue; // a cycle in parent links: leave the rest as recorded
        }
        SpanData c = spans.get(child);
        shift[child] =
            sameProcess(p, c)
                ? shift[parent]
                : shiftInto(
                    p.getStartEpochNanos() + shift[parent],
                    p.getEndEpochNanos() + shift[parent],
                    p.getKind(),
                    c);
        any |= shift[child] != 0;
        pending.add(child);
      }
    }
    if (!any) {
      return new Adjusted(spans, Map.of());
    }
    List<SpanData> adjusted = new ArrayList<>(spans.size());
    Map<String, Long> shifts = new HashMap<>();
    for (int i = 0; i < spans.size(); i++) {
      SpanData span = spans.get(i);
      if (shift[i] == 0) {
        adjusted.add(span);
      } else {
        adjusted.add(new Shifted(span, shift[i]));
        shifts.put(span.getSpanId(), shift[i]);
      }
    }
    return new Adjusted(adjusted, shifts);
  }

  /** The shift that brings {@code child} (on its own clock) into its parent's adjusted interval. */
  static long shiftInto(long parentStart, long parentEnd, SpanKind parentKind, SpanData child) {
    long start = child.getStartEpochNanos();
    long end = child.getEndEpochNanos();
    boolean remoteCall = parentKind == SpanKind.CLIENT && child.getKind() == SpanKind.SERVER;
    if (!remoteCall) {
      return start < parentStart ? parentStart - start : 0;
    }
    if (start >= parentStart && end <= parentEnd) {
      return 0;
    }
    long parentDuration = parentEnd - parentStart;
    long childDuration = end - start;
    if (childDuration > parentDuration) {
      return parentStart - start;
    }
    long latency = (parentDuration - childDuration) / 2;
    return parentStart + latency - start;
  }

  private static boolean sameProcess(SpanData a, SpanData b) {
    return a.getResource() == b.getResource() || a.getResource().equals(b.getResource());
  }

  /**
   * @param spans the input order, adjusted where needed
   * @param shiftNanosBySpanId the non-zero shifts
   */
  public record Adjusted(List<SpanData> spans, Map<String, Long> shiftNanosBySpanId) {}

  private static final class Shifted extends DelegatingSpanData {
    private final long shift;

    Shifted(SpanData delegate, long shift) {
      super(delegate);
      this.shift = shift;
    }

    @Override
    public long getStartEpochNanos() {
      return super.getStartEpochNanos() + shift;
    }

    @Override
    public long getEndEpochNanos() {
      return super.getEndEpochNanos() + shift;
    }
  }
}
