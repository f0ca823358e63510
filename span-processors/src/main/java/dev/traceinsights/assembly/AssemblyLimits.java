package dev.traceinsights.assembly;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Bounds of the local trace buffer.
 *
 * @param maxTraces local traces buffered at once
 * @param maxSpansPerTrace spans buffered for one trace
 * @param maxBytes estimated bytes of all buffered spans (see {@code SpanSizeEstimator})
 * @param grace how long after its local root ends a local trace waits for stragglers
 * @param traceTimeout how long a trace may wait for its local root to end
 * @param rememberedSpans span ids of recently analysed traces kept to recognise late spans
 */
public record AssemblyLimits(
    int maxTraces,
    int maxSpansPerTrace,
    long maxBytes,
    Duration grace,
    Duration traceTimeout,
    int rememberedSpans) {

  public static final int DEFAULT_MAX_TRACES = 4096;
  public static final int DEFAULT_MAX_SPANS_PER_TRACE = 10_000;
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_GRACE = Duration.ofMillis(200);
  public static final Duration DEFAULT_TRACE_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_REMEMBERED_SPANS = 16_384;

  public AssemblyLimits {
    requirePositive(maxTraces, "maxTraces");
    requirePositive(maxSpansPerTrace, "maxSpansPerTrace");
    requirePositive(maxBytes, "maxBytes");
    requireNonNull(grace, "grace");
    requireNonNull(traceTimeout, "traceTimeout");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must be non-negative");
    }
    if (traceTimeout.isNegative() || traceTimeout.isZero()) {
      throw new IllegalArgumentException("traceTimeout must be positive");
    }
    if (rememberedSpans < 0) {
      throw new IllegalArgumentException("rememberedSpans must be non-negative");
    }
  }

  public static AssemblyLimits defaults() {
    return new AssemblyLimits(
        DEFAULT_MAX_TRACES,
        DEFAULT_MAX_SPANS_PER_TRACE,
        DEFAULT_MAX_BYTES,
        DEFAULT_GRACE,
        DEFAULT_TRACE_TIMEOUT,
        DEFAULT_REMEMBERED_SPANS);
  }

  private static void requirePositive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
