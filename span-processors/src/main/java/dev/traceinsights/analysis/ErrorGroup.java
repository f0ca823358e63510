package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

/** Errored spans of one trace that share a fingerprint. */
public record ErrorGroup(String fingerprint, String errorType, int count, String exampleSpanId) {

  public ErrorGroup {
    requireNonNull(fingerprint, "fingerprint");
    requireNonNull(errorType, "errorType");
    requireNonNull(exampleSpanId, "exampleSpanId");
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive");
    }
  }
}
