package dev.traceinsights.analysis;

import dev.traceinsights.internal.SpanIdIndex;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;

/**
 * The spans of one trace as a forest over int indices (a span's index is its position in the
 * input), with everything the analyses share: parent links, children, a parents-first order, depth,
 * the primary root and the children's intervals clamped to their parents.
 *
 * <p>Plain arrays rather than node objects, so that building and walking the tree allocates a fixed
 * number of objects per trace and never recurses. The arrays are shared with the analyses of this
 * package and must not be modified by them.
 *
 * <p>Tree rules:
 *
 * <ul>
 *   <li>A span's parent is the span named by its parent span context when that context is valid and
 *       the span is in the input; otherwise the span is a root. A trace can have several roots (a
 *       missing parent leaves an orphan subtree).
 *   <li>The primary root, where the critical path starts, is chosen among the true roots (roots
 *       whose parent context is invalid) or, when there is none, among all roots (in process the
 *       local root has a remote parent): the earliest start, then the longest duration, then the
 *       first in input order.
 *   <li>A span that ends before it starts is treated as if it ended when it started.
 * </ul>
 */
final class TraceGraph {

  /** Number of spans. */
  final int size;

  final SpanData[] spans;
  final String traceId;
  final String[] spanIds;
  final SpanKind[] kinds;
  final long[] start;

  /** End time, never before {@link #start}. */
  final long[] end;

  /** The parent's index, -1 for a root. */
  final int[] parent;

  /**
   * Children of span {@code i} are {@code childrenByStart[childOffset[i] .. childOffset[i + 1])},
   * sorted by start time, then input order.
   */
  final int[] childOffset;

  final int[] childrenByStart;

  /** Every span once, each after its parent (breadth first from the roots, in input order). */
  final int[] topDownOrder;

  /** Level in its tree: a root is 1. */
  final int[] depth;

  final int primaryRoot;

  /** Each span's index by its id; the analysis' result shares it (same input order). */
  final SpanIdIndex index;

  /**
   * The span's interval clamped to its parent's clamped interval (Jaeger UI's rule: a child that
   * overflows its parent is cut at the parent's bounds). A root keeps its own interval, and so does
   * a {@linkplain #dropped dropped} child.
   */
  final long[] clampedStart;

  final long[] clampedEnd;

  /**
   * The span lies entirely outside its parent's clamped interval: it starts at or after the
   * parent's end, or ends at or before the parent's start. Jaeger UI drops such children, with
   * their subtrees, from the critical path.
   */
  final boolean[] dropped;

  private TraceGraph(SpanData[] spans) {
    int n = spans.length;
    this.size = n;
    this.spans = spans;
    this.spanIds = new String[n];
    this.kinds = new SpanKind[n];
    this.start = new long[n];
    this.end = new long[n];
    this.parent = new int[n];
    this.childOffset = new int[n + 1];
    this.childrenByStart = new int[n];
    this.topDownOrder = new int[n];
    this.depth = new int[n];
    this.clampedStart = new long[n];
    this.clampedEnd = new long[n];
    this.dropped = new boolean[n];
    this.index = new SpanIdIndex(n);

    this.traceId = readSpans();
    linkParents();
    linkChildren();
    orderTopDown();
    this.primaryRoot = findPrimaryRoot();
    clamp();
  }

  /**
   * Builds the graph of {@code spans}.
   *
   * @throws InvalidTraceException when there are no spans, spans of several traces, an invalid or
   *     duplicate span id, or a cycle in parent links
   */
  static TraceGraph of(Collection<? extends SpanData> spans) {
    SpanData[] array = spans.toArray(new SpanData[0]);
    if (array.length == 0) {
      throw new InvalidTraceException("no spans");
    }
    return new TraceGraph(array);
  }

  boolean isRoot(int span) {
    return parent[span] < 0;
  }

  int childCount(int span) {
    return childOffset[span + 1] - childOffset[span];
  }

  private String readSpans() {
    String firstTraceId = null;
    for (int i = 0; i < size; i++) {
      SpanData span = spans[i];
      SpanContext context = span.getSpanContext();
      if (!context.isValid()) {
        throw new InvalidTraceException(
            "span '"
                + span.getName()
                + "' has an invalid span context (trace id "
                + context.getTraceId()
                + ", span id "
                + context.getSpanId()
                + ")");
      }
      String traceId = context.getTraceId();
      if (firstTraceId == null) {
        firstTraceId = traceId;
      } else if (!firstTraceId.equals(traceId)) {
        throw new InvalidTraceException(
            "spans of more than one trace: "
                + spanIds[0]
                + " in trace "
                + firstTraceId
                + ", "
                + context.getSpanId()
                + " in trace "
                + traceId);
      }
      spanIds[i] = context.getSpanId();
      kinds[i] = span.getKind();
      long startNanos = span.getStartEpochNanos();
      start[i] = startNanos;
      end[i] = Math.max(startNanos, span.getEndEpochNanos());
    }
    return firstTraceId;
  }

  private void linkParents() {
    for (int i = 0; i < size; i++) {
      int previous = index.putIfAbsent(spanIds[i], i);
      if (previous >= 0) {
        throw new InvalidTraceException(
            "duplicate span id "
                + spanIds[i]
                + " (spans '"
                + spans[previous].getName()
                + "' and '"
                + spans[i].getName()
                + "')");
      }
    }
    for (int i = 0; i < size; i++) {
      SpanContext parentContext = spans[i].getParentSpanContext();
      parent[i] = parentContext.isValid() ? index.get(parentContext.getSpanId()) : -1;
    }
  }

  private void linkChildren() {
    // Counting sort by parent: children land in input order, then each list is sorted by start.
    int[] offset = childOffset;
    for (int i = 0; i < size; i++) {
      if (parent[i] >= 0) {
        offset[parent[i] + 1]++;
      }
    }
    for (int i = 0; i < size; i++) {
      offset[i + 1] += offset[i];
    }
    int[] next = new int[size];
    System.arraycopy(offset, 0, next, 0, size);
    for (int i = 0; i < size; i++) {
      int p = parent[i];
      if (p >= 0) {
        childrenByStart[next[p]++] = i;
      }
    }
    long[] startTimes = start;
    IndexSort.Order byStart =
        (a, b) -> {
          int c = Long.compare(startTimes[a], startTimes[b]);
          return c != 0 ? c : Integer.compare(a, b);
        };
    for (int i = 0; i < size; i++) {
      if (offset[i + 1] - offset[i] > 1) {
        IndexSort.sort(childrenByStart, offset[i], offset[i + 1], next, byStart);
      }
    }
  }

  private void orderTopDown() {
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (parent[i] < 0) {
        topDownOrder[count++] = i;
        depth[i] = 1;
      }
    }
    for (int head = 0; head < count; head++) {
      int span = topDownOrder[head];
      for (int k = childOffset[span]; k < childOffset[span + 1]; k++) {
        int child = childrenByStart[k];
        depth[child] = depth[span] + 1;
        topDownOrder[count++] = child;
      }
    }
    if (count < size) {
      // Spans not reachable from a root each have a parent: following the links must loop.
      throw new InvalidTraceException("cycle in parent links: " + describeCycle());
    }
  }

  private String describeCycle() {
    // Unreached spans have depth 0; their parents are unreached too, so walking up stays among
    // them until a span repeats. Mark each visited span with its step number to spot the repeat.
    int first = 0;
    while (depth[first] != 0) {
      first++;
    }
    int[] step = new int[size];
    int span = first;
    for (int n = 1; step[span] == 0; n++) {
      step[span] = n;
      span = parent[span];
    }
    StringBuilder cycle = new StringBuilder(spanIds[span]);
    int at = parent[span];
    while (true) {
      cycle.append(" -> ").append(spanIds[at]);
      if (at == span) {
        return cycle.toString();
      }
      at = parent[at];
    }
  }

  private int findPrimaryRoot() {
    boolean anyTrueRoot = false;
    for (int i = 0; i < size && !anyTrueRoot; i++) {
      anyTrueRoot = parent[i] < 0 && !spans[i].getParentSpanContext().isValid();
    }
    int best = -1;
    for (int i = 0; i < size; i++) {
      if (parent[i] >= 0 || (anyTrueRoot && spans[i].getParentSpanContext().isValid())) {
        continue;
      }
      if (best < 0
          || start[i] < start[best]
          || (start[i] == start[best] && end[i] - start[i] > end[best] - start[best])) {
        best = i;
      }
    }
    return best;
  }

  private void clamp() {
    // Top down, so each parent's interval is already clamped when its children are.
    for (int k = 0; k < size; k++) {
      int span = topDownOrder[k];
      int p = parent[span];
      long s = start[span];
      long e = end[span];
      if (p >= 0 && s < clampedEnd[p] && e > clampedStart[p]) {
        s = Math.max(s, clampedStart[p]);
        e = Math.min(e, clampedEnd[p]);
      } else if (p >= 0) {
        dropped[span] = true;
      }
      clampedStart[span] = s;
      clampedEnd[span] = e;
    }
  }
}
