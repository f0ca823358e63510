package dev.traceinsights.benchmarks.load;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waits, between the warm-up and the measured phase, until the receiver's span count has stopped
 * moving. The warm-up is a saturating closed loop: at its end the extension's hand-off queue and
 * buffer may still hold spans, which would be analysed and exported during the measured phase and
 * charged to its requests. A count that is still for longer than the batch processor's schedule
 * delay (5 s by default) means that nothing is left to export.
 */
final class ExportsSettled {

  /** Longer than the batch span processor's default schedule delay of 5 s. */
  static final Duration QUIET = Duration.ofSeconds(6);

  /** A backlog that takes longer than this to drain is itself a finding: measure anyway. */
  static final Duration LIMIT = Duration.ofSeconds(120);

  private static final Duration POLL = Duration.ofMillis(250);

  /** Sleeps; a test passes one that moves a fake clock instead. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** How long it took and whether the count did settle within the limit. */
  record Outcome(Duration waited, boolean settled) {}

  private final LongSupplier spans;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;

  ExportsSettled(LongSupplier spans, LongSupplier nanoTime, Sleeper sleeper) {
    this.spans = spans;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  static Outcome await(LongSupplier spans) throws InterruptedException {
    return new ExportsSettled(spans, System::nanoTime, d -> Thread.sleep(d.toMillis()))
        .await(QUIET, LIMIT);
  }

  Outcome await(Duration quiet, Duration limit) throws InterruptedException {
    long start = nanoTime.getAsLong();
    long lastCount = spans.getAsLong();
    long lastChange = start;
    while (true) {
      long now = nanoTime.getAsLong();
      if (now - lastChange >= quiet.toNanos()) {
        return new Outcome(Duration.ofNanos(now - start), true);
      }
      if (now - start >= limit.toNanos()) {
        return new Outcome(Duration.ofNanos(now - start), false);
      }
      sleeper.sleep(POLL);
      long count = spans.getAsLong();
      if (count != lastCount) {
        lastCount = count;
        lastChange = nanoTime.getAsLong();
      }
    }
  }
}
