package dev.traceinsights;

import static dev.traceinsights.AnalysisWorker.BUSY_NANOS;
import static dev.traceinsights.AnalysisWorker.IDLE_NANOS;
import static dev.traceinsights.AnalysisWorker.TICK_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When the analysis thread wakes up: rarely, except when the queue fills fast. */
class AnalysisWorkerSleepTest {

  private static final int BUSY = 2048; // an eighth of the default queue
  private static final long NOTHING_DUE = Long.MAX_VALUE;

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void idleWithNothingQueuedOrDue() {
    assertThat(AnalysisWorker.sleepNanos(0, BUSY, NOTHING_DUE)).isEqualTo(IDLE_NANOS);
    assertThat(AnalysisWorker.sleepNanos(30, BUSY, NOTHING_DUE)).isEqualTo(IDLE_NANOS);
  }

  @Test
  void aTraceDueSoonWaitsForTheNextTickNotItsOwnMoment() {
    assertThat(AnalysisWorker.sleepNanos(0, BUSY, ms(3))).isEqualTo(TICK_NANOS);
    assertThat(AnalysisWorker.sleepNanos(12, BUSY, 0)).isEqualTo(TICK_NANOS);
    assertThat(AnalysisWorker.sleepNanos(12, BUSY, ms(40))).isEqualTo(ms(40));
    assertThat(AnalysisWorker.sleepNanos(12, BUSY, ms(200))).isEqualTo(IDLE_NANOS);
  }

  @Test
  void wakesSoonerWhileTheQueueFillsFast() {
    assertThat(AnalysisWorker.sleepNanos(BUSY, BUSY, ms(200))).isEqualTo(BUSY_NANOS);
    assertThat(AnalysisWorker.sleepNanos(BUSY - 1, BUSY, ms(200))).isEqualTo(IDLE_NANOS);
  }
}
