package dev.traceinsights.analysis;

/**
 * Self time: the part of a span's duration that none of its children covers. The children's
 * intervals are clamped to the span's own interval and merged, so overlapping children are counted
 * once and a child that outlives its parent (async work) only removes the overlap. All children
 * count, including those the critical path skips: while they ran, the span itself was not
 * necessarily busy. The result is always between 0 and the span's duration.
 */
final class SelfTime {

  private SelfTime() {}

  /** Self time of every span, indexed like {@code graph}. O(n): children are sorted by start. */
  static long[] compute(TraceGraph graph) {
    long[] selfTime = new long[graph.size];
    for (int span = 0; span < graph.size; span++) {
      selfTime[span] = of(graph, span);
    }
    return selfTime;
  }

  private static long of(TraceGraph graph, int span) {
    long spanStart = graph.start[span];
    long spanEnd = graph.end[span];
    long covered = 0;
    // The union so far, as one open run [runStart, runEnd) plus the closed runs summed in covered.
    long runStart = 0;
    long runEnd = Long.MIN_VALUE;
    for (int k = graph.childOffset[span]; k < graph.childOffset[span + 1]; k++) {
      int child = graph.childrenByStart[k];
      // Clamping preserves the order by start, so the clamped intervals arrive sorted too.
      long s = Math.max(graph.start[child], spanStart);
      long e = Math.min(graph.end[child], spanEnd);
      if (e <= s) {
        continue;
      }
      if (s <= runEnd) {
        runEnd = Math.max(runEnd, e);
      } else {
        if (runEnd != Long.MIN_VALUE) {
          covered += runEnd - runStart;
        }
        runStart = s;
        runEnd = e;
      }
    }
    if (runEnd != Long.MIN_VALUE) {
      covered += runEnd - runStart;
    }
    return spanEnd - spanStart - covered;
  }
}
