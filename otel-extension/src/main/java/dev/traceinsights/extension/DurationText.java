package dev.traceinsights.extension;

import java.time.Duration;

/**
 * Durations written the way the configuration takes them ({@code 200ms}, {@code 30s}, {@code 10m}),
 * not as ISO-8601 ({@code PT0.2S}): log lines should read like the keys an operator set.
 */
final class DurationText {

  private DurationText() {}

  /** The largest of h, m, s, ms that represents {@code duration} exactly; else nanoseconds. */
  static String of(Duration duration) {
    if (duration.isZero()) {
      return "0";
    }
    long nanos = duration.toNanos();
    if (nanos % 3_600_000_000_000L == 0) {
      return nanos / 3_600_000_000_000L + "h";
    }
    if (nanos % 60_000_000_000L == 0) {
      return nanos / 60_000_000_000L + "m";
    }
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    return nanos + "ns";
  }
}
