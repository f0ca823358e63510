package dev.traceinsights.analysis;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Finds the error that most likely started a trace's failures. Errors propagate upwards (a failed
 * call fails its caller), so the root cause is the errored span with no errored descendant; of
 * several such leaves the deepest (furthest from its root) wins, then the one that ended first
 * (failed first), then the first in input order.
 */
final class RootCauseFinder {

  private RootCauseFinder() {}

  /**
   * The root cause, null when no span errored.
   *
   * @param errors each span's error, null for a span without one, indexed like {@code graph}
   */
  @Nullable
  static RootCause find(TraceGraph graph, SpanError[] errors) {
    int n = graph.size;
    boolean[] erroredBelow = new boolean[n];
    // Bottom up (reverse of parents-first) so each span has heard from all its descendants.
    for (int k = n - 1; k >= 0; k--) {
      int span = graph.topDownOrder[k];
      int parent = graph.parent[span];
      if (parent >= 0 && (errors[span] != null || erroredBelow[span])) {
        erroredBelow[parent] = true;
      }
    }
    int best = -1;
    for (int span = 0; span < n; span++) {
      if (errors[span] == null || erroredBelow[span]) {
        continue;
      }
      if (best < 0
          || graph.depth[span] > graph.depth[best]
          || (graph.depth[span] == graph.depth[best] && graph.end[span] < graph.end[best])) {
        best = span;
      }
    }
    if (best < 0) {
      return null;
    }
    List<String> chain = new ArrayList<>(graph.depth[best]);
    for (int span = best; span >= 0; span = graph.parent[span]) {
      chain.add(graph.spanIds[span]);
    }
    SpanError error = errors[best];
    return new RootCause(
        graph.spanIds[best],
        graph.spans[best].getName(),
        chain,
        error.fingerprint(),
        error.type(),
        error.message());
  }
}
