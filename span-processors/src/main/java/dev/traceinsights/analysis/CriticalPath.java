package dev.traceinsights.analysis;

import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The critical path of a trace: the chain of work the primary root's end waited for, as sections
 * (span, start, end) listed from the root's end backwards. The semantics are those of Jaeger UI's
 * critical path (jaeger-ui, {@code TracePage/CriticalPath}); the code is ours:
 *
 * <ol>
 *   <li>Start at the primary root with bound = its end.
 *   <li>At span N with bound b, take N's last-finishing blocking child c whose clamped end is at
 *       most b (ties: the earliest start of its own, then input order, which is the first of the
 *       latest-ending in Jaeger UI's start-ordered children). N owns [c.end, b]; continue in c with
 *       bound c.end.
 *   <li>When N has no such child, N owns [N.start, b]; go back to N's parent with bound N.start, or
 *       stop if N is the primary root.
 * </ol>
 *
 * <p>Children are clamped to their parents ({@link TraceGraph#clampedStart}). A child is not
 * blocking, and is skipped with its whole subtree, when clamping dropped it or when it is a
 * CONSUMER child of a PRODUCER parent (the producer does not wait for the message to be consumed).
 * Empty sections are left out. The sections tile [root.start, root.end] exactly.
 *
 * <p>Jaeger UI returns to the parent looking for children that end strictly before the bound; we
 * accept a child that ends exactly at the bound, so a child that ends when its next sibling starts
 * is on the path too (it is what the sibling waited for).
 *
 * <p>Iterative, so a 10 000-level chain cannot overflow the stack, and O(n log n): each span's
 * blocking children are sorted once by end, descending, and a per-span cursor only moves forward
 * because the bound at a span only decreases, so every child is examined once.
 */
final class CriticalPath {

  // Sections are built as the result's own objects: staging them in arrays sized for the worst
  // case (2n sections) first cost 40 bytes per span of allocation for nothing.
  private static final int INITIAL_SECTIONS = 16;

  private final List<CriticalPathSection> sections;
  private final long[] nanosBySpan;

  private CriticalPath(List<CriticalPathSection> sections, long[] nanosBySpan) {
    this.sections = sections;
    this.nanosBySpan = nanosBySpan;
  }

  static CriticalPath compute(TraceGraph graph) {
    int n = graph.size;
    int[] offset = new int[n + 1];
    int[] byEnd = blockingChildrenByEnd(graph, offset);
    int[] cursor = new int[n];
    System.arraycopy(offset, 0, cursor, 0, n);

    // At most one section per step; a step descends into an unvisited child or leaves a span for
    // good, so there are fewer than 2n steps.
    List<CriticalPathSection> sections = new ArrayList<>(Math.min(2 * n, INITIAL_SECTIONS));
    long[] nanosBySpan = new long[n];

    long[] clampedStart = graph.clampedStart;
    long[] clampedEnd = graph.clampedEnd;
    int root = graph.primaryRoot;
    int span = root;
    long bound = clampedEnd[root];
    while (true) {
      int pos = cursor[span];
      int limit = offset[span + 1];
      while (pos < limit && clampedEnd[byEnd[pos]] > bound) {
        pos++;
      }
      long sectionFrom;
      int next;
      long nextBound;
      if (pos < limit) {
        next = byEnd[pos];
        cursor[span] = pos + 1;
        sectionFrom = clampedEnd[next];
        nextBound = sectionFrom;
      } else {
        cursor[span] = pos;
        sectionFrom = clampedStart[span];
        next = span == root ? -1 : graph.parent[span];
        nextBound = sectionFrom;
      }
      if (sectionFrom < bound) {
        sections.add(new CriticalPathSection(graph.spanIds[span], sectionFrom, bound));
        nanosBySpan[span] += bound - sectionFrom;
      }
      if (next < 0) {
        break;
      }
      span = next;
      bound = nextBound;
    }
    return new CriticalPath(sections, nanosBySpan);
  }

  /**
   * Each span's blocking children, sorted by clamped end descending, then start, then input order,
   * in the same offset layout as {@link TraceGraph#childrenByStart}.
   */
  private static int[] blockingChildrenByEnd(TraceGraph graph, int[] offset) {
    int n = graph.size;
    int[] children = new int[n];
    int count = 0;
    for (int span = 0; span < n; span++) {
      offset[span] = count;
      boolean producer = graph.kinds[span] == SpanKind.PRODUCER;
      for (int k = graph.childOffset[span]; k < graph.childOffset[span + 1]; k++) {
        int child = graph.childrenByStart[k];
        if (!graph.dropped[child] && !(producer && graph.kinds[child] == SpanKind.CONSUMER)) {
          children[count++] = child;
        }
      }
    }
    offset[n] = count;
    long[] start = graph.start;
    long[] clampedEnd = graph.clampedEnd;
    IndexSort.Order lastFinishingFirst =
        (a, b) -> {
          int c = Long.compare(clampedEnd[b], clampedEnd[a]);
          if (c == 0) {
            // The own start, not the clamped one: children clamped to the same start keep the
            // order in which they really started.
            c = Long.compare(start[a], start[b]);
          }
          return c != 0 ? c : Integer.compare(a, b);
        };
    int[] scratch = null;
    for (int span = 0; span < n; span++) {
      if (offset[span + 1] - offset[span] > 1) {
        if (scratch == null) {
          scratch = new int[count];
        }
        IndexSort.sort(children, offset[span], offset[span + 1], scratch, lastFinishingFirst);
      }
    }
    return children;
  }

  /** The sections, from the root's end backwards. */
  List<CriticalPathSection> sections() {
    return sections;
  }

  /** Each span's time on the critical path (the sum of its sections), indexed like the graph. */
  long[] nanosBySpan() {
    return nanosBySpan;
  }
}
