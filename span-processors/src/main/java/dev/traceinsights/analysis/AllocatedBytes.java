package dev.traceinsights.analysis;

import dev.traceinsights.semconv.InsightAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Allocated bytes of spans and of whole traces. A span's measurement ({@link
 * InsightAttributes#SPAN_ALLOCATED_BYTES}) covers everything its thread allocated between its start
 * and end, including what its nested spans on the same thread allocated. So the trace total counts
 * a measured span only when none of its measured ancestors ran on the same thread; when either
 * thread name ({@code thread.name}) is missing, the two are assumed to share a thread, to rather
 * undercount than count bytes twice.
 */
final class AllocatedBytes {

  private AllocatedBytes() {}

  /** Each span's measurement, {@link TraceTotals#NOT_MEASURED} where there is none. */
  static long[] perSpan(TraceGraph graph) {
    long[] bytes = new long[graph.size];
    for (int span = 0; span < graph.size; span++) {
      Long measured = graph.spans[span].getAttributes().get(InsightAttributes.SPAN_ALLOCATED_BYTES);
      bytes[span] = measured == null ? TraceTotals.NOT_MEASURED : measured;
    }
    return bytes;
  }

  /** The trace total, {@link TraceTotals#NOT_MEASURED} when no span is measured. */
  static long total(TraceGraph graph, long[] perSpan) {
    boolean anyMeasured = false;
    for (int span = 0; span < graph.size && !anyMeasured; span++) {
      anyMeasured = perSpan[span] != TraceTotals.NOT_MEASURED;
    }
    if (!anyMeasured) {
      return TraceTotals.NOT_MEASURED;
    }
    String[] threads = new String[graph.size];
    for (int span = 0; span < graph.size; span++) {
      if (perSpan[span] != TraceTotals.NOT_MEASURED) {
        threads[span] = graph.spans[span].getAttributes().get(InsightAttributes.THREAD_NAME);
      }
    }
    // Depth-first with an explicit stack, tracking the measured spans on the current root path:
    // how many, how many without a thread name, and how many per thread name.
    int n = graph.size;
    int[] stack = new int[n];
    int[] nextChild = new int[n];
    Map<String, int[]> measuredOnPathByThread = new HashMap<>();
    int measuredOnPath = 0;
    int unnamedOnPath = 0;
    long total = 0;
    for (int root = 0; root < n; root++) {
      if (!graph.isRoot(root)) {
        continue;
      }
      int top = 0;
      stack[0] = root;
      nextChild[root] = graph.childOffset[root];
      boolean entering = true;
      while (top >= 0) {
        int span = stack[top];
        boolean measured = perSpan[span] != TraceTotals.NOT_MEASURED;
        String thread = threads[span];
        if (entering && measured) {
          boolean coveredByAncestor =
              unnamedOnPath > 0
                  || (thread == null
                      ? measuredOnPath > 0
                      : measuredOnPathByThread.containsKey(thread));
          if (!coveredByAncestor) {
            total += perSpan[span];
          }
          measuredOnPath++;
          if (thread == null) {
            unnamedOnPath++;
          } else {
            measuredOnPathByThread.computeIfAbsent(thread, t -> new int[1])[0]++;
          }
        }
        if (nextChild[span] < graph.childOffset[span + 1]) {
          int child = graph.childrenByStart[nextChild[span]++];
          stack[++top] = child;
          nextChild[child] = graph.childOffset[child];
          entering = true;
          continue;
        }
        // Leaving the span: take it off the path.
        if (measured) {
          measuredOnPath--;
          if (thread == null) {
            unnamedOnPath--;
          } else {
            int[] count = measuredOnPathByThread.get(thread);
            if (--count[0] == 0) {
              measuredOnPathByThread.remove(thread);
            }
          }
        }
        top--;
        entering = false;
      }
    }
    return total;
  }
}
