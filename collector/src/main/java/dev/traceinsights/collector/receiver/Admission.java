package dev.traceinsights.collector.receiver;

import java.time.Duration;
import javax.annotation.Nullable;

/**
 * The answer to one offered request: taken, or refused for now because memory limits are reached,
 * with how long the sender should wait before retrying (OTLP: gRPC {@code RESOURCE_EXHAUSTED} with
 * {@code RetryInfo}, HTTP 503 with {@code Retry-After}).
 */
public record Admission(boolean accepted, @Nullable Duration retryAfter, @Nullable String reason) {

  private static final Admission ACCEPTED = new Admission(true, null, null);

  public static Admission accept() {
    return ACCEPTED;
  }

  public static Admission refused(Duration retryAfter, String reason) {
    return new Admission(false, retryAfter, reason);
  }
}
