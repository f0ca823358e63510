package dev.traceinsights.anomaly;

import static dev.traceinsights.anomaly.TestWindows.MS;
import static dev.traceinsights.anomaly.TestWindows.constant;
import static dev.traceinsights.anomaly.TestWindows.end;
import static dev.traceinsights.anomaly.TestWindows.operation;
import static dev.traceinsights.anomaly.TestWindows.pattern;
import static dev.traceinsights.anomaly.TestWindows.start;
import static dev.traceinsights.anomaly.TestWindows.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.groups.Tuple.tuple;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.ErrorPattern;
import dev.traceinsights.stats.OperationKey;
import dev.traceinsights.stats.OperationWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The live series: p95 latency, error rate, throughput. */
class AnomalyDetectorTest {

  private static final OperationKey ORDERS = operation("GET /orders");
  private static final String LATENCY_KEY = "anomaly|shop|GET /orders|server|p95_latency";

  private static List<InsightEvent> observe(
      AnomalyDetector detector, int index, OperationWindow... windows) {
    return detector.observe(end(index), List.of(windows), List.of());
  }

  @Test
  void handComputedLatencyAnomalyConfirmedByTheNextWindow() {
    // window:   0   1   2   3   4   5   6   7   8   9 |  10 |  11
    // p95 ms: 100 104  98 102 101  99 103 100  97 105 | 120 | 120
    //
    // window 10 against windows 0..9:
    //   sorted 97 98 99 100 100 101 102 103 104 105 -> median (100 + 101) / 2 = 100.5
    //   |x - 100.5| sorted .5 .5 .5 1.5 1.5 2.5 2.5 3.5 3.5 4.5 -> MAD (1.5 + 2.5) / 2 = 2.0
    //   scale = max(1.4826 * 2.0, floor max(1 ms, 1 % of 100.5, standard error 0)) = 2.9652
    //   z = (120 - 100.5) / 2.9652 = 6.576: anomalous, but below 2 x 5: wait for confirmation
    // window 11 against windows 0..10:
    //   sorted 97 98 99 100 100 101 102 103 104 105 120 -> median 101
    //   |x - 101| sorted 0 1 1 1 2 2 3 3 4 4 19 -> MAD 2
    //   z = (120 - 101) / 2.9652 = 6.4077: confirmed, FIRING (LOW: below 10)
    double[] p95 = {100, 104, 98, 102, 101, 99, 103, 100, 97, 105};
    AnomalyDetector detector = AnomalyDetector.builder().build();
    for (int i = 0; i < p95.length; i++) {
      assertThat(observe(detector, i, constant(ORDERS, i, 50, 0, p95[i]))).isEmpty();
    }
    assertThat(observe(detector, 10, constant(ORDERS, 10, 50, 0, 120))).isEmpty();

    List<InsightEvent> events = observe(detector, 11, constant(ORDERS, 11, 50, 0, 120));

    assertThat(events).hasSize(1);
    InsightEvent event = events.get(0);
    assertThat(event.type()).isEqualTo(EventType.ANOMALY);
    assertThat(event.status()).isEqualTo(EventStatus.FIRING);
    assertThat(event.severity()).isEqualTo(Severity.LOW);
    assertThat(event.service()).isEqualTo("shop");
    assertThat(event.operation()).isEqualTo("GET /orders");
    assertThat(event.spanKind()).isEqualTo("server");
    assertThat(event.epochNanos()).isEqualTo(end(11));
    assertThat(event.dedupKey()).isEqualTo(LATENCY_KEY);
    assertThat(event.title())
        .isEqualTo("GET /orders: p95 latency 120.0 ms, usually 101.0 ms (robust z 6.4)");
    assertThat(event.exampleTraceIds()).containsExactly("slow-GET /orders-11");
    assertThat(event.evidence())
        .containsEntry("series", "p95_latency")
        .containsEntry("unit", "ms")
        .containsEntry("value", 120.0)
        .containsEntry("median", 101.0)
        .containsEntry("mad", 2.0)
        .containsEntry("history_windows", 11L)
        .containsEntry("calls", 50L);
    assertThat((Double) event.evidence().get("robust_z")).isCloseTo(6.4077, offset(1e-4));
  }

  @Test
  void anUnconfirmedSmallAnomalyIsDropped() {
    // window:  0 .. 9 | 10  | 11  | 12  | 13
    // p95 ms:  100    | 106 | 100 | 106 | 100
    // MAD 0, so scale = floor max(1 ms, 1 % of 100) = 1 ms and each 106 is z = 6: anomalous but
    // below 2 x 5, and the next window does not confirm it.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    double[] p95 = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 106, 100, 106, 100};
    for (int i = 0; i < p95.length; i++) {
      events.addAll(observe(detector, i, constant(ORDERS, i, 50, 0, p95[i])));
    }

    assertThat(events).isEmpty();
  }

  @Test
  void nothingIsScoredBeforeTheMinimumHistory() {
    // windows 0..8 at 100 ms, window 9 at 10 s: only 9 windows of history, none needed 10.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      events.addAll(observe(detector, i, constant(ORDERS, i, 50, 0, 100)));
    }
    events.addAll(observe(detector, 9, constant(ORDERS, 9, 50, 40, 10_000)));

    assertThat(events).isEmpty();
  }

  @Test
  void aStepHeldLongerThanHalfTheHistoryStaysFiringUntilItIsTheNewNormal() {
    // windows 0..29 at 99..101 ms, then 300 ms for 50 windows. Learnt, the 300s would be the
    // median of the 30-window history from window 45 on and resolve the anomaly while it lasts.
    // Kept out, it fires from window 30 until it has fired for 30 scored windows (30..59): at 59
    // it is the new normal, resolved as such, and the series learns anew (10 windows, 60..69)
    // without firing again.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      double p95 = i >= 30 ? 300 : 99 + i % 3;
      events.addAll(observe(detector, i, constant(ORDERS, i, 50, 0, p95)));
    }
    assertThat(events)
        .extracting(InsightEvent::status, InsightEvent::epochNanos, InsightEvent::dedupKey)
        .containsExactly(
            tuple(EventStatus.FIRING, end(30), LATENCY_KEY),
            tuple(EventStatus.RESOLVED, end(59), LATENCY_KEY));
    assertThat(events.get(1).title())
        .isEqualTo("GET /orders: p95 latency 300.0 ms for 30 windows, now the usual");
  }

  @Test
  void stepChangeFiresOnceAndResolvesAfterRecovery() {
    // window:  0   1   2  ..  29 |  30  31  32  33  34 |  35  36  37  ..  59
    // p95 ms: 99 100 101  ..  101 | 300 300 300 300 300 | 101  99 100  ..  101   (99 + i % 3)
    //                                ^ FIRING              ^ RESOLVED
    // The 300s stay out of the history while the anomaly fires.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      double p95 = i >= 30 && i < 35 ? 300 : 99 + i % 3;
      events.addAll(observe(detector, i, constant(ORDERS, i, 50, 0, p95)));
    }

    assertThat(events)
        .extracting(InsightEvent::status, InsightEvent::epochNanos, InsightEvent::dedupKey)
        .containsExactly(
            tuple(EventStatus.FIRING, end(30), LATENCY_KEY),
            tuple(EventStatus.RESOLVED, end(35), LATENCY_KEY));
    // z = (300 - 100) / (1.4826 * 1) = 134.9: beyond 4 x 5.
    assertThat(events.get(0).severity()).isEqualTo(Severity.HIGH);
    assertThat(events.get(1).title())
        .isEqualTo("GET /orders: p95 latency no longer anomalous (101.0 ms, usually 100.0 ms)");
  }

  @Test
  void sleepLikeOperationWithSubMillisecondJitterDoesNotFire() {
    // Every call sleeps 100 ms plus jitter uniform in [-0.5, 0.5] ms: the p95s of 60 windows lie
    // within 1 ms of each other and their MAD is a fraction of a millisecond. Only the 1 ms floor
    // (1 % of 100 ms is 1 ms too) keeps a 0.3 ms wobble from being z > 5.
    SplittableRandom random = new SplittableRandom(42);
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      long[] durations = new long[50];
      for (int call = 0; call < durations.length; call++) {
        durations[call] = 100 * MS + Math.round((random.nextDouble() - 0.5) * MS);
      }
      events.addAll(observe(detector, i, window(ORDERS, i, 50, 0, durations)));
    }
    assertThat(events).isEmpty();

    // The floor does not hide a real change: a 10 % slower sleep is z = ~9.5 / 1 ms, confirmed by
    // a second window.
    assertThat(observe(detector, 60, constant(ORDERS, 60, 50, 0, 110))).isEmpty();
    assertThat(observe(detector, 61, constant(ORDERS, 61, 50, 0, 110)))
        .singleElement()
        .extracting(InsightEvent::dedupKey)
        .isEqualTo(LATENCY_KEY);
  }

  @Test
  void errorRateFromZeroToThirtyPercentIsHigh() {
    // windows 0..14: 100 calls, no errors; window 15: 30 errors.
    // history all 0: median 0, MAD 0; floor = binomial sqrt(p (1 - p) / n) at p = 1/100:
    // sqrt(0.01 * 0.99 / 100) = 0.0099499; z = 0.30 / 0.0099499 = 30.151 (>= 4 x 5: HIGH)
    AnomalyDetector detector = AnomalyDetector.builder().build();
    for (int i = 0; i < 15; i++) {
      detector.observe(end(i), List.of(constant(ORDERS, i, 100, 0, 100)), List.of());
    }
    ErrorPattern failure = pattern("fp-reset", ORDERS, 30, start(15) + 1);

    List<InsightEvent> events =
        detector.observe(end(15), List.of(constant(ORDERS, 15, 100, 30, 100)), List.of(failure));

    InsightEvent anomaly = only(events, EventType.ANOMALY);
    assertThat(anomaly.dedupKey()).isEqualTo("anomaly|shop|GET /orders|server|error_rate");
    assertThat(anomaly.severity()).isEqualTo(Severity.HIGH);
    assertThat(anomaly.title())
        .isEqualTo("GET /orders: error rate 30.0 %, usually 0.0 % (robust z 30.2)");
    assertThat((Double) anomaly.evidence().get("robust_z")).isCloseTo(30.151, offset(1e-3));
    // The failing example first, then the window's slowest.
    assertThat(anomaly.exampleTraceIds()).containsExactly("trace-fp-reset", "slow-GET /orders-15");
  }

  @Test
  void errorRateFromTwentyPercentIsAtLeastHigh() {
    // errors of 100 calls, windows 0..9: 10 14 6 12 8 10 14 6 12 8 -> median 0.10
    // |x - 0.10| sorted: 0 0 .02 .02 .02 .02 .04 .04 .04 .04 -> MAD 0.02
    // scale = max(1.4826 * 0.02 = 0.029652, binomial sqrt(0.1 * 0.9 / 100) = 0.03) = 0.03
    // window 10: 26 errors -> z = 0.16 / 0.03 = 5.33: below 2 x 5, waits for confirmation
    // window 11: 26 errors again; with 0.26 in the history the median is still 0.10 and the MAD
    // (6th of 0 0 .02 .02 .02 .02 .04 .04 .04 .04 .16) still 0.02: z = 5.33, FIRING.
    // LOW by z, HIGH since 26 % >= 20 %
    long[] errors = {10, 14, 6, 12, 8, 10, 14, 6, 12, 8};
    AnomalyDetector detector = AnomalyDetector.builder().build();
    for (int i = 0; i < errors.length; i++) {
      assertThat(observe(detector, i, constant(ORDERS, i, 100, errors[i], 100))).isEmpty();
    }

    assertThat(observe(detector, 10, constant(ORDERS, 10, 100, 26, 100))).isEmpty();
    InsightEvent anomaly = only(observe(detector, 11, constant(ORDERS, 11, 100, 26, 100)));

    assertThat(anomaly.evidence()).containsEntry("series", "error_rate");
    assertThat((Double) anomaly.evidence().get("robust_z")).isCloseTo(5.3333, offset(1e-4));
    assertThat(anomaly.severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void fewerFailuresThanTheBinomialNoiseDoNotFire() {
    // 20 calls a window and an error-free history: one failure is 5 %, but the floor
    // sqrt(0.05 * 0.95 / 20) = 0.04873 makes it z = 1.03; four failures are z = 4.10, five 5.13
    // (fires when the next window confirms), ten 10.26 (fires at once).
    // window:   0 .. 9 | 10 | 11 | 12
    // failures: 0      |  4 |  5 |  5
    //                    -    wait  FIRING
    AnomalyDetector detector = AnomalyDetector.builder().build();
    for (int i = 0; i < 10; i++) {
      observe(detector, i, constant(ORDERS, i, 20, 0, 100));
    }
    assertThat(observe(detector, 10, constant(ORDERS, 10, 20, 4, 100))).isEmpty();
    assertThat(observe(detector, 11, constant(ORDERS, 11, 20, 5, 100))).isEmpty();
    assertThat(observe(detector, 12, constant(ORDERS, 12, 20, 5, 100)))
        .extracting(InsightEvent::dedupKey)
        .containsExactly("anomaly|shop|GET /orders|server|error_rate");

    AnomalyDetector another = AnomalyDetector.builder().build();
    for (int i = 0; i < 10; i++) {
      observe(another, i, constant(ORDERS, i, 20, 0, 100));
    }
    assertThat(observe(another, 10, constant(ORDERS, 10, 20, 10, 100)))
        .extracting(InsightEvent::dedupKey)
        .containsExactly("anomaly|shop|GET /orders|server|error_rate");
  }

  @Test
  void throughputDropToZeroStaysFiringUntilTheOperationIsForgotten() {
    // calls:  100 x 20 (windows 0..19) | absent from window 20 on
    // window 20: median 100, MAD 0, floor sqrt(100) = 10 -> z = -100 / 10 = -10: FIRING, HIGH
    // While it fires the zeros stay out of the history, so every later window is z = -10 again:
    // the drop does not become the new normal (it did at window 35 when they were learnt).
    // window 49 is the 30th absent one: the operation is forgotten, which resolves the drop.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.addAll(observe(detector, i, constant(ORDERS, i, 100, 0, 100)));
    }
    for (int i = 20; i < 49; i++) {
      events.addAll(observe(detector, i));
    }
    assertThat(detector.trackedOperations()).isEqualTo(1);
    events.addAll(observe(detector, 49));

    String key = "anomaly|shop|GET /orders|server|throughput";
    assertThat(events)
        .extracting(InsightEvent::status, InsightEvent::epochNanos, InsightEvent::dedupKey)
        .containsExactly(
            tuple(EventStatus.FIRING, end(20), key), tuple(EventStatus.RESOLVED, end(49), key));
    InsightEvent drop = events.get(0);
    assertThat(drop.severity()).isEqualTo(Severity.HIGH);
    assertThat(drop.evidence()).containsEntry("value", 0.0).containsEntry("robust_z", -10.0);
    assertThat(drop.recommendation()).contains("drop in calls");
    assertThat(detector.trackedOperations()).isZero();
  }

  @Test
  void forgettingAnOperationResolvesWhatStillFires() {
    // A latency anomaly cannot resolve while the operation has no calls: it is resolved when the
    // operation is forgotten, after 30 absent windows, like the throughput drop.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    for (int i = 0; i < 10; i++) {
      observe(detector, i, constant(ORDERS, i, 100, 0, 100));
    }
    assertThat(observe(detector, 10, constant(ORDERS, 10, 100, 0, 900)))
        .extracting(InsightEvent::dedupKey)
        .containsExactly(LATENCY_KEY);
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 11; i < 41; i++) {
      events.addAll(observe(detector, i));
    }

    assertThat(events)
        .filteredOn(event -> event.dedupKey().equals(LATENCY_KEY))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.status()).isEqualTo(EventStatus.RESOLVED);
              assertThat(event.epochNanos()).isEqualTo(end(40));
              assertThat(event.title()).contains("no calls for 30 windows");
            });
  }

  @Test
  void windowsWithTooFewCallsAreNeitherScoredNorRemembered() {
    // windows 0..9: 50 calls at 100 ms; window 10: 19 calls at 10 s (below 20: skipped);
    // window 11: 50 calls at 10 s fires against a history of 10 windows, not 11.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    for (int i = 0; i < 10; i++) {
      observe(detector, i, constant(ORDERS, i, 50, 0, 100));
    }
    assertThat(observe(detector, 10, constant(ORDERS, 10, 19, 0, 10_000))).isEmpty();

    InsightEvent anomaly = only(observe(detector, 11, constant(ORDERS, 11, 50, 0, 10_000)));

    assertThat(anomaly.dedupKey()).isEqualTo(LATENCY_KEY);
    assertThat(anomaly.evidence()).containsEntry("history_windows", 10L);
  }

  @Test
  void operationsBeyondTheBoundAreIgnoredAndCounted() {
    AnomalyDetector detector = AnomalyDetector.builder().setMaxOperations(2).build();
    for (int i = 0; i < 3; i++) {
      observe(
          detector,
          i,
          constant(operation("a"), i, 50, 0, 100),
          constant(operation("b"), i, 50, 0, 100),
          constant(operation("c"), i, 50, 0, 100));
    }

    assertThat(detector.trackedOperations()).isEqualTo(2);
    assertThat(detector.ignoredOperationWindows()).isEqualTo(3);
    assertThat(detector.toString()).contains("trackedOperations=2", "ignoredOperationWindows=3");
  }

  @Test
  void overflowSeriesAreNotScored() {
    AnomalyDetector detector = AnomalyDetector.builder().build();
    OperationWindow overflow =
        new OperationWindow(
            operation("_OTHER"), true, start(0), end(0), 50, 0, new long[] {MS}, List.of());

    observe(detector, 0, overflow);

    assertThat(detector.trackedOperations()).isZero();
  }

  @Test
  void severityGrowsWithTheScore() {
    AnomalyDetector detector = AnomalyDetector.builder().build();

    assertThat(detector.severity(Series.P95_LATENCY, 9.9, 100)).isEqualTo(Severity.LOW);
    assertThat(detector.severity(Series.P95_LATENCY, 10, 100)).isEqualTo(Severity.MEDIUM);
    assertThat(detector.severity(Series.P95_LATENCY, 20, 100)).isEqualTo(Severity.HIGH);
    assertThat(detector.severity(Series.THROUGHPUT, -6, 3)).isEqualTo(Severity.LOW);
    assertThat(detector.severity(Series.THROUGHPUT, -6, 0)).isEqualTo(Severity.HIGH);
    assertThat(detector.severity(Series.ERROR_RATE, 6, 0.19)).isEqualTo(Severity.LOW);
    assertThat(detector.severity(Series.ERROR_RATE, 6, 0.2)).isEqualTo(Severity.HIGH);
  }

  @Test
  void builderNamesTheBadArgument() {
    assertThatThrownBy(() -> AnomalyDetector.builder().setThreshold(0))
        .hasMessageContaining("threshold");
    assertThatThrownBy(() -> AnomalyDetector.builder().setHistoryWindows(30, 31))
        .hasMessageContaining("minHistoryWindows");
    assertThatThrownBy(() -> AnomalyDetector.builder().setMinCalls(0))
        .hasMessageContaining("minCalls");
    assertThatThrownBy(() -> AnomalyDetector.builder().setSpikeRule(0.5, 10, 5))
        .hasMessageContaining("ratio");
    assertThatThrownBy(
            () -> AnomalyDetector.builder().setHistoryWindows(4, 2).setSpikeRule(3, 10, 5).build())
        .hasMessageContaining("spike minHistoryWindows (5) must not exceed historyWindows (4)");
    assertThatThrownBy(() -> AnomalyDetector.builder().setKnownFingerprints(null))
        .hasMessageContaining("knownFingerprints");
  }

  private static InsightEvent only(List<InsightEvent> events, EventType type) {
    return only(events.stream().filter(event -> event.type() == type).toList());
  }

  private static InsightEvent only(List<InsightEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }
}
