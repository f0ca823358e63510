package dev.traceinsights.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * Durations as users write them in configuration ({@code 200ms}, {@code 30s}, {@code 10m}) rather
 * than ISO-8601 ({@code PT0.2S}), read and written the same way, so that log lines read like the
 * keys an operator set.
 */
public final class DurationText {

  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * {@code 0}, a whole number with one of {@code ms s m h d}, or ISO-8601; null when {@code text}
   * is none of these or out of range.
   */
  @Nullable
  public static Duration parse(String text) {
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      try {
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The largest of h, m, s, ms that represents {@code duration} exactly; else nanoseconds. */
  public static String format(Duration duration) {
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
