package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The error that most likely started a trace's failures: the deepest errored span that has no
 * errored descendant.
 *
 * @param chain span ids from the root cause (first) up through its ancestors to its root (last)
 * @param fingerprint groups equal failures; see {@link ErrorFingerprint}
 * @param errorType the exception type, else the {@code error.type} attribute, else "span_error"
 * @param message the exception message or status description as recorded (may be empty)
 */
public record RootCause(
    String spanId,
    String spanName,
    List<String> chain,
    String fingerprint,
    String errorType,
    String message) {

  public RootCause {
    requireNonNull(spanId, "spanId");
    requireNonNull(spanName, "spanName");
    chain = List.copyOf(chain);
    requireNonNull(fingerprint, "fingerprint");
    requireNonNull(errorType, "errorType");
    requireNonNull(message, "message");
  }
}
