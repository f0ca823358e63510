package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The same normalised database statement executed {@code spanIds.size()} times directly under one
 * parent span: the N+1 query pattern.
 */
public record NPlusOne(String parentSpanId, String statement, List<String> spanIds) {

  public NPlusOne {
    requireNonNull(parentSpanId, "parentSpanId");
    requireNonNull(statement, "statement");
    spanIds = List.copyOf(spanIds);
  }

  public int count() {
    return spanIds.size();
  }
}
