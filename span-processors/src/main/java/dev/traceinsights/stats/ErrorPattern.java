package dev.traceinsights.stats;

import static java.util.Objects.requireNonNull;

/**
 * One kind of failure, identified by its fingerprint (see {@link
 * dev.traceinsights.analysis.SpanAnalysis#errorFingerprint()}), across the analysed traces. The
 * example (trace id, operation, message) is that of the latest trace in which it occurred: the one
 * most likely still retained for {@link LiveStatistics#recentTraces}.
 *
 * @param errorType the exception type, else {@code error.type}, else {@code span_error}
 * @param sampleMessage the example span's exception message or status description, at most {@value
 *     ErrorPatterns#MAX_MESSAGE_CHARS} characters, possibly empty
 * @param operation the operation of the example span
 * @param traceCount analysed local traces in which a span failed this way
 * @param spanCount spans that failed this way
 * @param rootCauseCount traces whose root cause failed this way
 * @param firstSeenEpochNanos when it was first recorded (statistics clock)
 * @param lastSeenEpochNanos when it was last recorded (statistics clock)
 */
public record ErrorPattern(
    String fingerprint,
    String errorType,
    String sampleMessage,
    OperationKey operation,
    String exampleTraceId,
    long traceCount,
    long spanCount,
    long rootCauseCount,
    long firstSeenEpochNanos,
    long lastSeenEpochNanos) {

  public ErrorPattern {
    requireNonNull(fingerprint, "fingerprint");
    requireNonNull(errorType, "errorType");
    requireNonNull(sampleMessage, "sampleMessage");
    requireNonNull(operation, "operation");
    requireNonNull(exampleTraceId, "exampleTraceId");
  }
}
