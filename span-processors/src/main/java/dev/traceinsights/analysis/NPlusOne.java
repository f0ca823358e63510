package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * The same database statement, or the same remote call, repeated {@code spanIds.size()} times under
 * one ancestor span: the N+1 pattern, typically a loop issuing one query or call per item of an
 * earlier result.
 *
 * @param parentSpanId the nearest span under which the repetitions meet: the loop's span
 * @param kind a read query, a write, or a remote call
 * @param statement the normalised statement (literals as {@code ?}); for a call, the call: method,
 *     peer and route or URL template ({@code GET inventory /items/{id}})
 * @param via the names of the spans between the ancestor and each repetition, outermost first
 *     ({@code CustomerRepository.countFast}); empty when the repetitions are its direct children
 * @param spanIds the repeated spans, in start order
 */
public record NPlusOne(
    String parentSpanId, Kind kind, String statement, List<String> via, List<String> spanIds) {

  /** What is repeated, and so what the remedy is. */
  public enum Kind {
    /** Reads: one query per row of an earlier result. */
    QUERY(
        "Load them in one query (a join, an IN list, or batch fetching: JOIN FETCH, an entity"
            + " graph or @BatchSize in JPA) instead of one per item."),
    /** Writes (INSERT, UPDATE, DELETE, MERGE): one round trip per row. */
    WRITE(
        "Batch the writes: JDBC batching (hibernate.jdbc.batch_size with hibernate.order_inserts)"
            + " or one multi-row statement, instead of one round trip per row."),
    /** Remote calls: the same route or peer called once per item. */
    CALL(
        "Call a batch endpoint once, or make the calls concurrently or from a cache, instead of"
            + " one call per item.");

    private final String remedy;

    Kind(String remedy) {
      this.remedy = remedy;
    }

    /** One sentence on what to do about it. */
    public String remedy() {
      return remedy;
    }

    /** {@code query}, {@code write}, {@code call}: the attribute value. */
    public String attributeValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public NPlusOne {
    requireNonNull(parentSpanId, "parentSpanId");
    requireNonNull(kind, "kind");
    requireNonNull(statement, "statement");
    via = List.copyOf(via);
    spanIds = List.copyOf(spanIds);
  }

  /** Read queries that are direct children of {@code parentSpanId}. */
  public NPlusOne(String parentSpanId, String statement, List<String> spanIds) {
    this(parentSpanId, Kind.QUERY, statement, List.of(), spanIds);
  }

  public int count() {
    return spanIds.size();
  }

  /** One sentence on what to do about it. */
  public String remedy() {
    return kind.remedy;
  }
}
