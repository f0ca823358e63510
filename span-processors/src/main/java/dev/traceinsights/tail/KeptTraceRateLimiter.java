package dev.traceinsights.tail;

/**
 * A token bucket over kept traces: {@code perSecond} tokens a second, holding at most one second's
 * worth, so a burst after a quiet spell is capped too. Used by the analysis thread only.
 */
final class KeptTraceRateLimiter {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double perSecond;
  private double tokens;
  private long lastNanos;
  private boolean started;

  KeptTraceRateLimiter(double perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
  }

  /** Takes a token if one is available at {@code nowNanos}. */
  boolean tryAcquire(long nowNanos) {
    if (started) {
      long elapsed = Math.max(0, nowNanos - lastNanos);
      tokens = Math.min(perSecond, tokens + elapsed * perSecond / NANOS_PER_SECOND);
    }
    started = true;
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
