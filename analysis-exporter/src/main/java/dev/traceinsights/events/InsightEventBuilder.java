package dev.traceinsights.events;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.stats.OperationKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the firing {@link InsightEvent} of a detector about one operation: service, operation,
 * span kind and the usual dedup key come from the {@link OperationKey}; a detector that can find
 * several conditions of one type on one operation adds a {@linkplain #setDedupSuffix suffix}.
 */
public final class InsightEventBuilder {

  private final EventType type;
  private final OperationKey operation;
  private Severity severity = Severity.LOW;
  private long epochNanos;
  private String title = "";
  private String recommendation = "";
  private Map<String, Object> evidence = Map.of();
  private List<String> exampleTraceIds = List.of();
  private String dedupSuffix = "";

  InsightEventBuilder(EventType type, OperationKey operation) {
    this.type = requireNonNull(type, "type");
    this.operation = requireNonNull(operation, "operation");
  }

  public InsightEventBuilder setSeverity(Severity severity) {
    this.severity = requireNonNull(severity, "severity");
    return this;
  }

  public InsightEventBuilder setEpochNanos(long epochNanos) {
    this.epochNanos = epochNanos;
    return this;
  }

  public InsightEventBuilder setTitle(String title) {
    this.title = requireNonNull(title, "title");
    return this;
  }

  public InsightEventBuilder setRecommendation(String recommendation) {
    this.recommendation = requireNonNull(recommendation, "recommendation");
    return this;
  }

  /** The figures behind the finding; copied by {@link #build()}, insertion order kept. */
  public InsightEventBuilder setEvidence(Map<String, Object> evidence) {
    this.evidence = requireNonNull(evidence, "evidence");
    return this;
  }

  public InsightEventBuilder setExampleTraceIds(List<String> exampleTraceIds) {
    this.exampleTraceIds = requireNonNull(exampleTraceIds, "exampleTraceIds");
    return this;
  }

  /** Appended to the dedup key after a {@code |}: the series, the fingerprint. */
  public InsightEventBuilder setDedupSuffix(String dedupSuffix) {
    this.dedupSuffix = requireNonNull(dedupSuffix, "dedupSuffix");
    return this;
  }

  public InsightEvent build() {
    String service = operation.serviceName();
    String spanName = operation.spanName();
    String kind = spanKindLabel(operation);
    String dedupKey = InsightEvent.dedupKey(type, service, spanName, kind);
    return new InsightEvent(
        type,
        EventStatus.FIRING,
        severity,
        service,
        spanName,
        kind,
        epochNanos,
        title,
        recommendation,
        evidence,
        exampleTraceIds,
        dedupSuffix.isEmpty() ? dedupKey : dedupKey + '|' + dedupSuffix);
  }

  /** {@code server}, {@code client}, ...: an event's span kind. */
  private static String spanKindLabel(OperationKey operation) {
    return operation.kind().name().toLowerCase(Locale.ROOT);
  }
}
