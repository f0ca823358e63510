package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.MS;
import static dev.traceinsights.stats.StatsTestSpans.SECOND;
import static dev.traceinsights.stats.StatsTestSpans.key;
import static dev.traceinsights.stats.StatsTestSpans.server;
import static dev.traceinsights.stats.StatsTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Fixed windows of 60 s from creation on a test clock; health from the recent window. */
class WindowsAndHealthTest {

  private static final String NAME = "GET /orders";
  private static final OperationKey OPERATION = key(NAME, SpanKind.SERVER);

  private final TestClock clock = TestClock.create();

  @Test
  void quantileFallsBackFromPreviousToCurrentWindowToNaN() {
    // min 5 calls; windows w0 [0, 60 s), w1 [60 s, 120 s), ...
    //
    //   w0: 10 ms x5        w1: 500 ms x10      w2: 80 ms x2     w3: -        w5: -
    //   prev -, cur 5       prev 5, cur 10      prev 10, cur 2   prev 2       prev 0, cur 0
    //   -> current          -> previous         -> previous      -> NaN       -> NaN
    LiveStatistics statistics = statistics(5);
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5)).isNaN();
    assertThat(statistics.recentCalls(OPERATION)).isZero();

    record(statistics, 4, 10 * MS);
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5)).isNaN();
    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(4);
    record(statistics, 1, 10 * MS);
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5))
        .isCloseTo(10 * MS, within(0.1 * MS));

    clock.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(5); // still w0
    clock.advance(Duration.ofNanos(1));
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5))
        .isCloseTo(10 * MS, within(0.1 * MS));
    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(5);

    record(statistics, 10, 500 * MS);
    // the completed window has enough calls: it wins over the busier current one
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5))
        .isCloseTo(10 * MS, within(0.1 * MS));
    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(15);

    clock.advance(Duration.ofSeconds(60));
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5))
        .isCloseTo(500 * MS, within(5.0 * MS));
    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(10);
    record(statistics, 2, 80 * MS);
    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(12);

    clock.advance(Duration.ofSeconds(60));
    assertThat(statistics.durationQuantileNanos(OPERATION, 0.5)).isNaN();
    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(2);

    clock.advance(Duration.ofSeconds(120));
    assertThat(statistics.recentCalls(OPERATION)).isZero();
    // Totals are kept across windows.
    OperationStatistics row = statistics.snapshot().operation(OPERATION);
    assertThat(row.calls()).isEqualTo(17);
    assertThat(row.recentCalls()).isZero();
  }

  @Test
  void recordingRotatesWindowsToo() {
    LiveStatistics statistics = statistics(1);
    record(statistics, 3, 10 * MS);
    clock.advance(Duration.ofSeconds(61));
    record(statistics, 1, 20 * MS); // rotates: w0 becomes previous
    clock.advance(Duration.ofSeconds(60));
    record(statistics, 2, 30 * MS); // rotates: w1 (1 call) previous, w0 gone

    assertThat(statistics.recentCalls(OPERATION)).isEqualTo(3);
    assertThat(statistics.durationQuantileNanos(OPERATION, 1)).isCloseTo(20 * MS, within(0.2 * MS));
  }

  @Test
  void latencyHealthTurnsOnTheRankOfP95() {
    // 100 calls, p95 is rank floor(0.95 * 99) = 94 of 0..99: 95 fast calls keep it fast, with 6
    // slow ones it is slow.
    assertThat(health(95, 5, 2 * SECOND, 0)).isEqualTo(Health.HEALTHY);
    assertThat(health(94, 6, 2 * SECOND, 0)).isEqualTo(Health.WARNING);
    assertThat(health(94, 6, 6 * SECOND, 0)).isEqualTo(Health.CRITICAL);
    // Right around the thresholds (1 s, 5 s), beyond the sketch's 1 %.
    assertThat(health(94, 6, 980 * MS, 0)).isEqualTo(Health.HEALTHY);
    assertThat(health(94, 6, 1020 * MS, 0)).isEqualTo(Health.WARNING);
    assertThat(health(94, 6, 4900 * MS, 0)).isEqualTo(Health.WARNING);
    assertThat(health(94, 6, 5100 * MS, 0)).isEqualTo(Health.CRITICAL);
    // 49 calls, all slow: too few for a p95.
    assertThat(health(0, 49, 6 * SECOND, 0)).isEqualTo(Health.HEALTHY);
    assertThat(health(0, 50, 6 * SECOND, 0)).isEqualTo(Health.CRITICAL);
  }

  @Test
  void errorRateHealthFromTwentyCallsOn() {
    // 20 calls: 1 error 5 %, 2 errors 10 % (warning), 3 15 %, 4 20 % (critical).
    assertThat(health(20, 0, 0, 1)).isEqualTo(Health.HEALTHY);
    assertThat(health(20, 0, 0, 2)).isEqualTo(Health.WARNING);
    assertThat(health(20, 0, 0, 3)).isEqualTo(Health.WARNING);
    assertThat(health(20, 0, 0, 4)).isEqualTo(Health.CRITICAL);
    // 30 calls, 3 errors: exactly 10 % although 0.1 * 30 is not 3 in floating point.
    assertThat(health(30, 0, 0, 3)).isEqualTo(Health.WARNING);
    // 19 calls, half of them failing: too few to judge.
    assertThat(health(19, 0, 0, 10)).isEqualTo(Health.HEALTHY);
  }

  @Test
  void healthIsTheWorseOfLatencyAndErrors() {
    assertThat(health(94, 6, 2 * SECOND, 10)).isEqualTo(Health.WARNING); // both warning
    assertThat(health(94, 6, 2 * SECOND, 20)).isEqualTo(Health.CRITICAL); // errors critical
    assertThat(health(94, 6, 6 * SECOND, 0)).isEqualTo(Health.CRITICAL); // latency critical
    assertThat(health(95, 5, 2 * SECOND, 10)).isEqualTo(Health.WARNING); // errors only
  }

  @Test
  void healthRecoversWhenTheBadWindowsAreOver() {
    LiveStatistics statistics = LiveStatistics.builder().setClock(clock).build();
    record(statistics, 100, 6 * SECOND);
    assertThat(statistics.snapshot().operation(OPERATION).health()).isEqualTo(Health.CRITICAL);

    clock.advance(Duration.ofSeconds(60));
    // the slow window is now the previous one: still critical
    assertThat(statistics.snapshot().operation(OPERATION).health()).isEqualTo(Health.CRITICAL);

    clock.advance(Duration.ofSeconds(60));
    OperationStatistics row = statistics.snapshot().operation(OPERATION);
    assertThat(row.health()).isEqualTo(Health.HEALTHY);
    assertThat(row.recentDurationP95Nanos()).isNaN();
    assertThat(row.durationP95Nanos()).isCloseTo(6.0 * SECOND, within(0.06 * SECOND));
  }

  @Test
  void thresholdsAreConfigurable() {
    LiveStatistics statistics =
        LiveStatistics.builder()
            .setClock(clock)
            .setMinCallsForQuantile(10)
            .setLatencyThresholds(Duration.ofMillis(100), Duration.ofMillis(200))
            .setErrorRateThresholds(0.5, 0.9)
            .setMinCallsForErrorRate(4)
            .build();
    record(statistics, 10, 150 * MS);
    assertThat(statistics.snapshot().operation(OPERATION).health()).isEqualTo(Health.WARNING);

    LiveStatistics errors =
        LiveStatistics.builder()
            .setClock(clock)
            .setErrorRateThresholds(0.5, 0.9)
            .setMinCallsForErrorRate(4)
            .build();
    record(errors, 2, 10 * MS);
    recordErrors(errors, 2, 10 * MS);
    assertThat(errors.snapshot().operation(OPERATION).health()).isEqualTo(Health.WARNING);
  }

  /**
   * Health after {@code fast} calls of 10 ms and {@code slow} of {@code slowNanos}, some failed.
   */
  private Health health(int fast, int slow, long slowNanos, int errors) {
    LiveStatistics statistics = LiveStatistics.builder().setClock(clock).build();
    recordErrors(statistics, errors, 10 * MS);
    record(statistics, fast - errors, 10 * MS);
    record(statistics, slow, slowNanos);
    OperationStatistics row = statistics.snapshot().operation(OPERATION);
    assertThat(row.recentCalls()).isEqualTo(fast + slow);
    assertThat(row.recentErrors()).isEqualTo(errors);
    return row.health();
  }

  private LiveStatistics statistics(int minCallsForQuantile) {
    return LiveStatistics.builder()
        .setClock(clock)
        .setMinCallsForQuantile(minCallsForQuantile)
        .build();
  }

  private static void record(LiveStatistics statistics, int calls, long durationNanos) {
    for (int i = 0; i < calls; i++) {
      statistics.recordUnanalyzed(server(NAME, durationNanos));
    }
  }

  private static void recordErrors(LiveStatistics statistics, int calls, long durationNanos) {
    for (int i = 0; i < calls; i++) {
      statistics.recordUnanalyzed(
          span(NAME).kind(SpanKind.SERVER).duration(durationNanos).errorStatus("failed").build());
    }
  }
}
