package dev.traceinsights.anomaly;

import static dev.traceinsights.anomaly.TestWindows.T0;
import static dev.traceinsights.anomaly.TestWindows.end;
import static dev.traceinsights.anomaly.TestWindows.operation;
import static dev.traceinsights.anomaly.TestWindows.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.ErrorPattern;
import dev.traceinsights.stats.OperationKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NEW_ERROR and ERROR_SPIKE from the cumulative error patterns. */
class AnomalyDetectorErrorPatternsTest {

  private static final OperationKey ORDERS = operation("GET /orders");
  private static final String SPIKE_KEY = "error_spike|shop|GET /orders|server|fp-a";

  private static List<InsightEvent> observe(
      AnomalyDetector detector, int index, ErrorPattern... patterns) {
    return detector.observe(end(index), List.of(), List.of(patterns));
  }

  @Test
  void firstObservationLearnsAndANewFingerprintFiresOnce() {
    AnomalyDetector detector = AnomalyDetector.builder().build();

    assertThat(observe(detector, 0, pattern("fp-a", ORDERS, 5))).isEmpty();
    List<InsightEvent> second =
        observe(detector, 1, pattern("fp-a", ORDERS, 6), pattern("fp-b", ORDERS, 2));
    List<InsightEvent> third =
        observe(detector, 2, pattern("fp-a", ORDERS, 6), pattern("fp-b", ORDERS, 3));

    assertThat(second).hasSize(1);
    InsightEvent event = second.get(0);
    assertThat(event.type()).isEqualTo(EventType.NEW_ERROR);
    assertThat(event.status()).isEqualTo(EventStatus.FIRING);
    assertThat(event.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(event.epochNanos()).isEqualTo(end(1));
    assertThat(event.dedupKey()).isEqualTo("new_error|shop|GET /orders|server|fp-b");
    assertThat(event.exampleTraceIds()).containsExactly("trace-fp-b");
    assertThat(event.evidence())
        .containsEntry("fingerprint", "fp-b")
        .containsEntry("error_type", "java.io.IOException")
        .containsEntry("sample_message", "connection reset")
        .containsEntry("operation", "GET /orders")
        .containsEntry("trace_count", 2L);
    assertThat(third).isEmpty();
  }

  @Test
  void withABaselineTheFirstObservationReportsWhatItLacks() {
    AnomalyDetector detector =
        AnomalyDetector.builder().setKnownFingerprints(List.of("fp-a")).build();

    List<InsightEvent> events =
        observe(detector, 0, pattern("fp-a", ORDERS, 5), pattern("fp-b", ORDERS, 12));

    // fp-b failed 12 traces, at least the 10 of a spike: HIGH.
    assertThat(events)
        .extracting(InsightEvent::type, InsightEvent::dedupKey, InsightEvent::severity)
        .containsExactly(
            tuple(EventType.NEW_ERROR, "new_error|shop|GET /orders|server|fp-b", Severity.HIGH));
  }

  @Test
  void spikeRuleByHand() {
    // window:            0 |  1   2   3   4   5 |  6 |  7 |  8
    // traceCount (cum):  1 |  3   6   8  12  15 | 24 | 36 | 39
    // increase:          - |  2   3   2   4   3 |  9 | 12 |  3
    // window 6: previous [2 3 2 4 3], median 3: 9 >= 3 x 3 but < 10       -> nothing
    // window 7: previous [2 3 2 4 3 9], median 3: 12 >= 9 and >= 10       -> FIRING
    // window 8: 3 < 10                                                   -> RESOLVED
    long[] cumulative = {1, 3, 6, 8, 12, 15, 24, 36, 39};
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < cumulative.length; i++) {
      events.addAll(observe(detector, i, pattern("fp-a", ORDERS, cumulative[i])));
    }

    assertThat(events)
        .extracting(InsightEvent::status, InsightEvent::epochNanos, InsightEvent::dedupKey)
        .containsExactly(
            tuple(EventStatus.FIRING, end(7), SPIKE_KEY),
            tuple(EventStatus.RESOLVED, end(8), SPIKE_KEY));
    InsightEvent spike = events.get(0);
    assertThat(spike.type()).isEqualTo(EventType.ERROR_SPIKE);
    // 12 < 10 x median 3: MEDIUM.
    assertThat(spike.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(spike.evidence())
        .containsEntry("traces_in_window", 12L)
        .containsEntry("median_previous", 3.0)
        .containsEntry("history_windows", 6L)
        .containsEntry("fingerprint", "fp-a")
        .containsEntry("operation", "GET /orders");
    assertThat(spike.title())
        .isEqualTo("GET /orders: java.io.IOException in 12 traces this window, usually 3.0");
    assertThat(spike.exampleTraceIds()).containsExactly("trace-fp-a");
  }

  @Test
  void aLastingSpikeStaysFiringUntilItHasLastedAWholeHistory() {
    // windows 1..5: 2 new traces each; from 6 on: 40 each. Learnt, the 40s would be the median
    // after a few windows and resolve the spike while it lasts; kept out, it fires from window 6
    // for 30 observations (6..35) and at 35 is the new rate: resolved as such, learnt anew.
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    long cumulative = 0;
    for (int i = 0; i < 45; i++) {
      cumulative += i == 0 ? 1 : i <= 5 ? 2 : 40;
      events.addAll(observe(detector, i, pattern("fp-a", ORDERS, cumulative)));
    }
    assertThat(events)
        .extracting(InsightEvent::status, InsightEvent::epochNanos, InsightEvent::dedupKey)
        .containsExactly(
            tuple(EventStatus.FIRING, end(6), SPIKE_KEY),
            tuple(EventStatus.RESOLVED, end(35), SPIKE_KEY));
    assertThat(events.get(1).title())
        .isEqualTo("GET /orders: error spike over (the rate of the last 30 windows)");
  }

  @Test
  void spikeNeedsFiveWindowsOfHistory() {
    // window:      0 | 1 2 3 4 |  5 |  6
    // increase:    - | 1 1 1 1 | 40 | 40
    // window 5 has 4 previous increases: not judged; window 6 has 5 (median 1): HIGH (40 >= 10 x 1)
    long[] cumulative = {1, 2, 3, 4, 5, 45, 85};
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < cumulative.length; i++) {
      events.addAll(observe(detector, i, pattern("fp-a", ORDERS, cumulative[i])));
    }

    assertThat(events)
        .extracting(InsightEvent::epochNanos, InsightEvent::severity)
        .containsExactly(tuple(end(6), Severity.HIGH));
  }

  @Test
  void spikeNeedsTheRatio() {
    // increases 20 22 18 21 19 (median 20), then 50: >= 10 but < 3 x 20 -> nothing.
    long[] cumulative = {1, 21, 43, 61, 82, 101, 151};
    AnomalyDetector detector = AnomalyDetector.builder().build();
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < cumulative.length; i++) {
      events.addAll(observe(detector, i, pattern("fp-a", ORDERS, cumulative[i])));
    }

    assertThat(events).isEmpty();
  }

  @Test
  void aRestartedPatternCountsFromZero() {
    // The statistics evicted fp-a and recorded it anew (new firstSeen): its count 15 are all this
    // window's traces, not 15 - 11 = 4.
    // window:      0 | 1 2 3 4 5 |  6 (restarted)
    // cumulative:  1 | 3 5 7 9 11 | 15
    AnomalyDetector detector = AnomalyDetector.builder().build();
    long[] cumulative = {1, 3, 5, 7, 9, 11};
    for (int i = 0; i < cumulative.length; i++) {
      assertThat(observe(detector, i, pattern("fp-a", ORDERS, cumulative[i]))).isEmpty();
    }

    List<InsightEvent> events = observe(detector, 6, pattern("fp-a", ORDERS, 15, T0 + 1));

    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.type()).isEqualTo(EventType.ERROR_SPIKE);
              assertThat(event.evidence()).containsEntry("traces_in_window", 15L);
            });
  }

  @Test
  void aSpikingPatternThatLeavesTheInputResolves() {
    long[] cumulative = {1, 2, 3, 4, 5, 6, 30};
    AnomalyDetector detector = AnomalyDetector.builder().build();
    for (int i = 0; i < cumulative.length; i++) {
      observe(detector, i, pattern("fp-a", ORDERS, cumulative[i]));
    }

    List<InsightEvent> events = observe(detector, 7);

    assertThat(events)
        .extracting(InsightEvent::status, InsightEvent::dedupKey)
        .containsExactly(tuple(EventStatus.RESOLVED, SPIKE_KEY));
    assertThat(events.get(0).title())
        .isEqualTo("GET /orders: error spike over (no longer recorded)");
  }

  @Test
  void fingerprintsBeyondTheBoundAreForgottenLeastRecentlyObservedFirst() {
    AnomalyDetector detector = AnomalyDetector.builder().setMaxFingerprints(2).build();
    observe(detector, 0, pattern("fp-a", ORDERS, 1));
    observe(detector, 1, pattern("fp-a", ORDERS, 1), pattern("fp-b", ORDERS, 1));
    // fp-c makes three: fp-a, last observed in window 1, is forgotten.
    observe(detector, 2, pattern("fp-b", ORDERS, 1), pattern("fp-c", ORDERS, 1));

    List<InsightEvent> events = observe(detector, 3, pattern("fp-a", ORDERS, 1));

    assertThat(events)
        .extracting(InsightEvent::dedupKey)
        .containsExactly("new_error|shop|GET /orders|server|fp-a");
  }
}
