package dev.traceinsights.internal;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.common.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Logs one recurring fault rate-limited: at most {@value #DEFAULT_PER_MINUTE} messages per minute,
 * then nothing until the minute is over; the first message of a new minute says how many were held
 * back. A fault that keeps recurring keeps surfacing, unlike a warn-once flag, without flooding the
 * application's log (the model is the SDK's {@code ThrottlingLogger}).
 *
 * <p>One instance per fault (a call site), so that one noisy fault does not silence another. Safe
 * on application threads: no lock, and what is suppressed costs two atomic operations; above the
 * limit the message is still logged at {@link Level#FINE}, for whoever turns that on.
 */
public final class ThrottledLogger {

  static final int DEFAULT_PER_MINUTE = 5;
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger logger;
  private final Clock clock;
  private final int perMinute;
  private final AtomicLong windowStart;
  private final AtomicInteger inWindow = new AtomicInteger();
  private final AtomicLong suppressed = new AtomicLong();

  private ThrottledLogger(Logger logger, Clock clock, int perMinute) {
    this.logger = logger;
    this.clock = clock;
    this.perMinute = perMinute;
    this.windowStart = new AtomicLong(clock.nanoTime());
  }

  /** {@value #DEFAULT_PER_MINUTE} messages a minute to {@code logger}. */
  public static ThrottledLogger of(Logger logger) {
    return new ThrottledLogger(
        requireNonNull(logger, "logger"), Clock.getDefault(), DEFAULT_PER_MINUTE);
  }

  /** For tests: {@code perMinute} messages a minute of {@code clock}'s time. */
  public static ThrottledLogger of(Logger logger, Clock clock, int perMinute) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute must be positive");
    }
    return new ThrottledLogger(
        requireNonNull(logger, "logger"), requireNonNull(clock, "clock"), perMinute);
  }

  /** Logs {@code message} at {@code level} unless this minute's messages are spent. */
  public void log(Level level, String message, @Nullable Throwable error) {
    long now = clock.nanoTime();
    long start = windowStart.get();
    if (now - start >= MINUTE_NANOS && windowStart.compareAndSet(start, now)) {
      inWindow.set(0);
    }
    if (inWindow.incrementAndGet() > perMinute) {
      suppressed.incrementAndGet();
      if (logger.isLoggable(Level.FINE)) {
        logger.log(Level.FINE, message, error);
      }
      return;
    }
    long heldBack = suppressed.getAndSet(0);
    String text =
        heldBack == 0
            ? message
            : message
                + " ("
                + heldBack
                + " more like it since the last one logged were not logged)";
    logger.log(level, text, error);
  }

  /** Messages not logged (above the limit) since the last one that was. */
  public long suppressed() {
    return suppressed.get();
  }

  @Override
  public String toString() {
    return "ThrottledLogger{logger=" + logger.getName() + ", perMinute=" + perMinute + '}';
  }
}
