package dev.traceinsights.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a trace's errored spans by {@linkplain ErrorFingerprint fingerprint}: the largest group
 * first, equal sizes in the order their first span appears in the input; each group's example and
 * error type are those of its first span in input order.
 */
final class ErrorGroups {

  private ErrorGroups() {}

  /**
   * @param errors each span's error, null for a span without one, indexed like {@code graph}
   */
  static List<ErrorGroup> of(TraceGraph graph, SpanError[] errors) {
    // fingerprint -> {count, first span}, in first-seen order
    Map<String, int[]> byFingerprint = null;
    for (int span = 0; span < graph.size; span++) {
      SpanError error = errors[span];
      if (error == null) {
        continue;
      }
      if (byFingerprint == null) {
        byFingerprint = new LinkedHashMap<>();
      }
      int[] group = byFingerprint.get(error.fingerprint());
      if (group == null) {
        byFingerprint.put(error.fingerprint(), new int[] {1, span});
      } else {
        group[0]++;
      }
    }
    if (byFingerprint == null) {
      return List.of();
    }
    List<ErrorGroup> groups = new ArrayList<>(byFingerprint.size());
    for (Map.Entry<String, int[]> entry : byFingerprint.entrySet()) {
      int count = entry.getValue()[0];
      int first = entry.getValue()[1];
      groups.add(new ErrorGroup(entry.getKey(), errors[first].type(), count, graph.spanIds[first]));
    }
    // List.sort is stable: equal counts keep first-seen order.
    groups.sort((a, b) -> Integer.compare(b.count(), a.count()));
    return groups;
  }
}
