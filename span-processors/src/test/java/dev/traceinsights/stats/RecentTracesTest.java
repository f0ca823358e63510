package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.analyze;
import static dev.traceinsights.stats.StatsTestSpans.span;
import static dev.traceinsights.stats.StatsTestSpans.trace;
import static dev.traceinsights.testing.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.TraceAnalysis;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentTracesTest {

  private final TestClock clock = TestClock.create();

  @Test
  void analysesOlderThanTheTtlAreEvicted() {
    LiveStatistics statistics = statistics(Duration.ofMinutes(10), 100, Long.MAX_VALUE);
    TraceAnalysis first = record(statistics, traceId(1), 3);
    clock.advance(Duration.ofMinutes(5));
    TraceAnalysis second = record(statistics, traceId(2), 3);

    clock.advance(Duration.ofMinutes(5).minusNanos(1));
    assertThat(statistics.recentTraces(traceId(1))).containsExactly(first);

    clock.advance(Duration.ofNanos(1)); // first is 10 minutes old
    assertThat(statistics.recentTraces(traceId(1))).isEmpty();
    assertThat(statistics.recentTraces(traceId(2))).containsExactly(second);
    StatisticsSnapshot snapshot = statistics.snapshot();
    assertThat(snapshot.recentTraces()).isEqualTo(1);
    assertThat(snapshot.recentTraceBytes()).isEqualTo(TraceAnalysisSizeEstimator.estimate(second));
    assertThat(snapshot.recentTracesEvicted())
        .isEqualTo(
            Map.of(EvictionReason.TTL, 1L, EvictionReason.COUNT, 0L, EvictionReason.SIZE, 0L));

    // Expiry also happens on the snapshot alone.
    clock.advance(Duration.ofMinutes(5));
    assertThat(statistics.snapshot().recentTracesEvicted(EvictionReason.TTL)).isEqualTo(2);
    assertThat(statistics.snapshot().recentTraces()).isZero();
    assertThat(statistics.snapshot().recentTraceBytes()).isZero();
  }

  @Test
  void beyondTheCountTheOldestIsEvicted() {
    LiveStatistics statistics = statistics(Duration.ofHours(2), 3, Long.MAX_VALUE);
    for (int i = 1; i <= 5; i++) {
      record(statistics, traceId(i), 2);
    }

    assertThat(statistics.recentTraces(traceId(1))).isEmpty();
    assertThat(statistics.recentTraces(traceId(2))).isEmpty();
    assertThat(statistics.recentTraces(traceId(3))).hasSize(1);
    assertThat(statistics.recentTraces(traceId(5))).hasSize(1);
    StatisticsSnapshot snapshot = statistics.snapshot();
    assertThat(snapshot.recentTraces()).isEqualTo(3);
    assertThat(snapshot.recentTracesEvicted(EvictionReason.COUNT)).isEqualTo(2);
  }

  @Test
  void beyondTheEstimatedSizeTheOldestIsEvicted() {
    // Traces of equal shape have equal estimates e; room for two and a half.
    long estimate = TraceAnalysisSizeEstimator.estimate(analyze(trace(traceId(99), 10)));
    LiveStatistics statistics = statistics(Duration.ofHours(2), 100, 2 * estimate + estimate / 2);
    for (int i = 1; i <= 4; i++) {
      record(statistics, traceId(i), 10);
    }

    StatisticsSnapshot snapshot = statistics.snapshot();
    assertThat(snapshot.recentTraces()).isEqualTo(2);
    assertThat(snapshot.recentTraceBytes()).isEqualTo(2 * estimate);
    assertThat(snapshot.recentTracesEvicted(EvictionReason.SIZE)).isEqualTo(2);
    assertThat(statistics.recentTraces(traceId(2))).isEmpty();
    assertThat(statistics.recentTraces(traceId(3))).hasSize(1);

    // A trace larger than the whole budget is not kept, and the others stay.
    record(statistics, traceId(5), 100);
    assertThat(statistics.recentTraces(traceId(5))).isEmpty();
    assertThat(statistics.snapshot().recentTraces()).isEqualTo(2);
    assertThat(statistics.snapshot().recentTracesEvicted(EvictionReason.SIZE)).isEqualTo(3);
  }

  @Test
  void severalLocalTracesOfOneTraceIdAreKeptSideBySide() {
    LiveStatistics statistics = statistics(Duration.ofHours(2), 2, Long.MAX_VALUE);
    TraceAnalysis firstCall = record(statistics, traceId(1), 2);
    TraceAnalysis secondCall = record(statistics, traceId(1), 3);
    assertThat(statistics.recentTraces(traceId(1))).containsExactly(firstCall, secondCall);

    TraceAnalysis other = record(statistics, traceId(2), 2); // evicts the first call only
    assertThat(statistics.recentTraces(traceId(1))).containsExactly(secondCall);
    assertThat(statistics.recentTraces(traceId(2))).containsExactly(other);
  }

  @Test
  void zeroCountRetainsNothing() {
    LiveStatistics statistics = statistics(Duration.ofHours(2), 0, Long.MAX_VALUE);
    record(statistics, traceId(1), 2);

    assertThat(statistics.recentTraces(traceId(1))).isEmpty();
    StatisticsSnapshot snapshot = statistics.snapshot();
    assertThat(snapshot.recentTraces()).isZero();
    assertThat(snapshot.recentTracesEvicted().values()).containsOnly(0L);
    // The statistics themselves are kept.
    assertThat(snapshot.recordedSpans()).isEqualTo(2);
  }

  @Test
  void sizeEstimateOfAHandAnalysedTrace() {
    // time    0    10   20   30   40 ... 100
    // root    [===============================]   "root"
    // child        [==============]               "child"
    // Critical path: root 40..100, child 10..40, root 0..10: 3 sections; root is the one
    // bottleneck (70 ns on the path against 30). No errors.
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").traceId(traceId(1)).spanId("00000000000000aa").at(0, 100).build());
    spans.add(
        span("child")
            .traceId(traceId(1))
            .spanId("00000000000000bb")
            .parentId("00000000000000aa")
            .at(10, 40)
            .build());
    TraceAnalysis analysis = analyze(spans);
    assertThat(analysis.criticalPath()).hasSize(3);
    assertThat(analysis.bottlenecks()).hasSize(1);

    // 512 base + 2 spans * 240 + 2 * (4 + 5) name chars + 3 sections * 40 + 1 bottleneck * 40
    assertThat(TraceAnalysisSizeEstimator.estimate(analysis)).isEqualTo(1170);
  }

  private TraceAnalysis record(LiveStatistics statistics, String traceId, int spanCount) {
    List<SpanData> spans = trace(traceId, spanCount);
    TraceAnalysis analysis = analyze(spans);
    statistics.recordTrace(analysis, spans);
    return analysis;
  }

  private LiveStatistics statistics(Duration ttl, int maxTraces, long maxBytes) {
    return LiveStatistics.builder()
        .setClock(clock)
        .setRecentTraceLimits(ttl, maxTraces, maxBytes)
        .build();
  }
}
