package dev.traceinsights.tail;

/**
 * A trace-id based coin, like the SDK's {@code TraceIdRatioBasedSampler}: the trace id's last 16
 * hex digits taken as a number decide, so every process using the same probability makes the same
 * choice for a trace, and the pieces of a trace that several services keep fit together.
 */
final class TraceIdRatio {

  private final boolean all;
  private final long upperBound;

  TraceIdRatio(double probability) {
    this.all = probability >= 1.0;
    this.upperBound = (long) (probability * Long.MAX_VALUE);
  }

  boolean includes(String traceId) {
    if (all) {
      return true;
    }
    if (upperBound == 0) {
      return false;
    }
    long random = 0;
    for (int i = traceId.length() - 16; i < traceId.length(); i++) {
      random = (random << 4) | Character.digit(traceId.charAt(i), 16);
    }
    // Math.abs(Long.MIN_VALUE) stays negative and counts as included, as in the SDK.
    return Math.abs(random) < upperBound;
  }
}
