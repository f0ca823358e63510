package dev.traceinsights.events;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.stats.OperationKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finding of detection, with the evidence a person needs to act on it.
 *
 * @param type what was found
 * @param status firing, or resolved (the condition of an earlier firing event cleared)
 * @param severity how urgent
 * @param service the {@code service.name} of the operation; empty when not about one service
 * @param operation the span name; empty when not about one operation
 * @param spanKind the span kind in lower case ({@code server}, {@code client}, ...); empty when not
 *     about one operation
 * @param epochNanos when it was detected
 * @param title one line for a person, e.g. {@code "GET /orders: p50 +31 % (305 ms → 400 ms)"}
 * @param recommendation one or two sentences on what to look at first
 * @param evidence the figures behind the finding, by snake_case name ({@code p_value}, {@code
 *     baseline.p50_ms}, ...); values are {@code String}, {@code Long}, {@code Double} or {@code
 *     Boolean}; insertion order is kept
 * @param exampleTraceIds trace ids to open in the tracing backend, most telling first
 * @param dedupKey identifies the condition across windows: the same key while the same operation
 *     has the same kind of problem ({@code regression|shop|GET /orders|server})
 */
public record InsightEvent(
    EventType type,
    EventStatus status,
    Severity severity,
    String service,
    String operation,
    String spanKind,
    long epochNanos,
    String title,
    String recommendation,
    Map<String, Object> evidence,
    List<String> exampleTraceIds,
    String dedupKey) {

  public InsightEvent {
    requireNonNull(type, "type");
    requireNonNull(status, "status");
    requireNonNull(severity, "severity");
    requireNonNull(service, "service");
    requireNonNull(operation, "operation");
    requireNonNull(spanKind, "spanKind");
    requireNonNull(title, "title");
    requireNonNull(recommendation, "recommendation");
    requireNonNull(dedupKey, "dedupKey");
    evidence =
        Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(evidence, "evidence")));
    exampleTraceIds = List.copyOf(requireNonNull(exampleTraceIds, "exampleTraceIds"));
    for (Object value : evidence.values()) {
      if (!(value instanceof String
          || value instanceof Long
          || value instanceof Double
          || value instanceof Boolean)) {
        throw new IllegalArgumentException(
            "evidence values must be String, Long, Double or Boolean, got " + value);
      }
    }
  }

  /** A firing event of {@code type} about {@code operation}. */
  public static InsightEventBuilder builder(EventType type, OperationKey operation) {
    return new InsightEventBuilder(type, operation);
  }

  /** The usual dedup key: type, service, operation and kind joined by {@code |}. */
  public static String dedupKey(EventType type, String service, String operation, String spanKind) {
    return type.label() + '|' + service + '|' + operation + '|' + spanKind;
  }

  /** This event, resolved at {@code epochNanos}: same key, same evidence, status resolved. */
  public InsightEvent resolved(long epochNanos, String title) {
    return new InsightEvent(
        type,
        EventStatus.RESOLVED,
        severity,
        service,
        operation,
        spanKind,
        epochNanos,
        title,
        recommendation,
        evidence,
        exampleTraceIds,
        dedupKey);
  }
}
