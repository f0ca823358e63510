package dev.traceinsights.analysis;

import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Detects the N+1 query pattern: the same database statement, up to its values, executed at least
 * {@code threshold} times directly under one parent span (typically a loop issuing one query per
 * row of an earlier result).
 *
 * <p>The statement is the {@code db.query.text} attribute (current semantic conventions), else
 * {@code db.statement} (older ones), normalised by {@link SqlStatementNormalizer}. Each parent's
 * direct children are grouped by normalised statement; every group of at least {@code threshold}
 * spans is reported with its span ids in start order. The result is ordered by count, largest
 * first; equal counts by parent in input order, then by the group's first start.
 */
final class NPlusOneDetector {

  private static final AttributeKey<String> DB_QUERY_TEXT = stringKey("db.query.text");
  private static final AttributeKey<String> DB_STATEMENT = stringKey("db.statement");

  private NPlusOneDetector() {}

  static List<NPlusOne> detect(TraceGraph graph, int threshold) {
    List<NPlusOne> found = null;
    String[] statements = null;
    for (int parent = 0; parent < graph.size; parent++) {
      int from = graph.childOffset[parent];
      int to = graph.childOffset[parent + 1];
      if (to - from < threshold) {
        continue;
      }
      if (statements == null) {
        statements = new String[graph.size];
      }
      int withStatement = 0;
      for (int k = from; k < to; k++) {
        int child = graph.childrenByStart[k];
        String statement = statement(graph.spans[child].getAttributes());
        if (statement != null) {
          statements[child] = statement;
          withStatement++;
        }
      }
      if (withStatement < threshold) {
        continue;
      }
      // Normalise only now: most parents with many children are not issuing queries.
      Map<String, List<String>> spanIdsByStatement = new LinkedHashMap<>();
      for (int k = from; k < to; k++) {
        int child = graph.childrenByStart[k];
        if (statements[child] != null) {
          spanIdsByStatement
              .computeIfAbsent(
                  SqlStatementNormalizer.normalize(statements[child]), s -> new ArrayList<>())
              .add(graph.spanIds[child]);
        }
      }
      for (Map.Entry<String, List<String>> group : spanIdsByStatement.entrySet()) {
        if (group.getValue().size() >= threshold) {
          if (found == null) {
            found = new ArrayList<>();
          }
          found.add(new NPlusOne(graph.spanIds[parent], group.getKey(), group.getValue()));
        }
      }
    }
    if (found == null) {
      return List.of();
    }
    found.sort((a, b) -> Integer.compare(b.count(), a.count())); // stable
    return found;
  }

  @Nullable
  private static String statement(Attributes attributes) {
    String text = attributes.get(DB_QUERY_TEXT);
    return text != null ? text : attributes.get(DB_STATEMENT);
  }
}
