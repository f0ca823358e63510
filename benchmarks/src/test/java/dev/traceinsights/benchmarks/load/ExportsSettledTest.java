package dev.traceinsights.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExportsSettledTest {

  private final AtomicLong clock = new AtomicLong();

  /** A count that grows by 100 at each poll until the fake clock reaches {@code until}. */
  private ExportsSettled growingUntil(Duration until) {
    AtomicLong spans = new AtomicLong();
    return new ExportsSettled(
        () -> clock.get() < until.toNanos() ? spans.addAndGet(100) : spans.get(),
        clock::get,
        d -> clock.addAndGet(d.toNanos()));
  }

  @Test
  void waitsUntilTheCountHasBeenStillForTheQuietPeriod() throws InterruptedException {
    ExportsSettled.Outcome outcome =
        growingUntil(Duration.ofSeconds(10)).await(Duration.ofSeconds(6), Duration.ofSeconds(120));

    assertThat(outcome.settled()).isTrue();
    // The last change is seen at the last poll before 10 s (9.75 s); then 6 s of quiet.
    assertThat(outcome.waited()).isEqualTo(Duration.ofMillis(15_750));
  }

  @Test
  void aCountThatNeverMovesSettlesAfterOneQuietPeriod() throws InterruptedException {
    ExportsSettled.Outcome outcome =
        growingUntil(Duration.ZERO).await(Duration.ofSeconds(6), Duration.ofSeconds(120));

    assertThat(outcome.settled()).isTrue();
    assertThat(outcome.waited()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void givesUpAtTheLimitAndSaysSo() throws InterruptedException {
    ExportsSettled.Outcome outcome =
        growingUntil(Duration.ofHours(1)).await(Duration.ofSeconds(6), Duration.ofSeconds(30));

    assertThat(outcome.settled()).isFalse();
    assertThat(outcome.waited()).isEqualTo(Duration.ofSeconds(30));
  }
}
