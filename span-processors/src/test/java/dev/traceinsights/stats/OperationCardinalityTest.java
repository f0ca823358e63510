package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.MS;
import static dev.traceinsights.stats.StatsTestSpans.span;
import static dev.traceinsights.testing.TestSpans.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationCardinalityTest {

  private final TestClock clock = TestClock.create();

  @Test
  void floodOfDistinctSpanNamesStaysWithinTheBoundAndConservesCalls() {
    LiveStatistics statistics = LiveStatistics.builder().setClock(clock).build();
    int spans = 100_000;
    for (int i = 0; i < spans; i++) {
      // e.g. a URL with an id in the span name
      statistics.recordUnanalyzed(
          span("GET /orders/" + i).kind(SpanKind.SERVER).duration(MS).build());
    }

    StatisticsSnapshot snapshot = statistics.snapshot();
    assertThat(statistics.operationCount()).isEqualTo(1000);
    assertThat(snapshot.operations()).hasSize(1001);
    assertThat(snapshot.overflowSpans()).isEqualTo(99_000);
    assertThat(snapshot.recordedSpans()).isEqualTo(spans);
    assertThat(snapshot.operations().stream().mapToLong(OperationStatistics::calls).sum())
        .isEqualTo(spans);

    OperationKey overflowKey = new OperationKey("checkout", "_OTHER", SpanKind.SERVER);
    OperationStatistics overflow = snapshot.operation(overflowKey);
    assertThat(overflow.overflow()).isTrue();
    assertThat(overflow.calls()).isEqualTo(99_000);
    assertThat(snapshot.operations().stream().filter(OperationStatistics::overflow)).hasSize(1);
    // The first 1000 names were kept, later ones answer from the overflow series.
    assertThat(snapshot.operation(StatsTestSpans.key("GET /orders/999", SpanKind.SERVER)).calls())
        .isEqualTo(1);
    assertThat(statistics.recentCalls(StatsTestSpans.key("GET /orders/50000", SpanKind.SERVER)))
        .isEqualTo(99_000);
  }

  @Test
  void oneOverflowSeriesPerServiceAndKind() {
    // max 2: a and b of checkout are kept; everything after overflows by service and kind.
    LiveStatistics statistics =
        LiveStatistics.builder().setClock(clock).setMaxOperations(2).build();
    Resource payments = resource("payments");
    record(statistics, StatsTestSpans.RESOURCE, "a", SpanKind.SERVER);
    record(statistics, StatsTestSpans.RESOURCE, "b", SpanKind.CLIENT);
    record(statistics, StatsTestSpans.RESOURCE, "c", SpanKind.SERVER);
    record(statistics, StatsTestSpans.RESOURCE, "d", SpanKind.SERVER);
    record(statistics, StatsTestSpans.RESOURCE, "a", SpanKind.CLIENT);
    record(statistics, payments, "a", SpanKind.SERVER);
    record(statistics, payments, "a", SpanKind.SERVER);
    record(statistics, StatsTestSpans.RESOURCE, "a", SpanKind.SERVER);

    StatisticsSnapshot snapshot = statistics.snapshot();
    assertThat(snapshot.operations())
        .extracting(OperationStatistics::operation, OperationStatistics::calls)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                new OperationKey("checkout", "a", SpanKind.SERVER), 2L),
            org.assertj.core.groups.Tuple.tuple(
                new OperationKey("checkout", "b", SpanKind.CLIENT), 1L),
            org.assertj.core.groups.Tuple.tuple(
                new OperationKey("checkout", "_OTHER", SpanKind.SERVER), 2L),
            org.assertj.core.groups.Tuple.tuple(
                new OperationKey("checkout", "_OTHER", SpanKind.CLIENT), 1L),
            org.assertj.core.groups.Tuple.tuple(
                new OperationKey("payments", "_OTHER", SpanKind.SERVER), 2L));
    assertThat(snapshot.overflowSpans()).isEqualTo(5);
    assertThat(statistics.operationCount()).isEqualTo(2);
    // Never recorded, no overflow series of its own: nothing to answer from.
    assertThat(statistics.recentCalls(new OperationKey("payments", "a", SpanKind.CLIENT))).isZero();
    assertThat(statistics.durationQuantileNanos(new OperationKey("web", "a", SpanKind.CLIENT), 0.5))
        .isNaN();
  }

  @Test
  void zeroMaxOperationsPutsEverythingInOverflow() {
    LiveStatistics statistics =
        LiveStatistics.builder().setClock(clock).setMaxOperations(0).build();
    record(statistics, StatsTestSpans.RESOURCE, "a", SpanKind.SERVER);

    List<OperationStatistics> operations = statistics.snapshot().operations();
    assertThat(operations).hasSize(1);
    assertThat(operations.get(0).overflow()).isTrue();
    assertThat(operations.get(0).operation().spanName()).isEqualTo("_OTHER");
  }

  private static void record(
      LiveStatistics statistics, Resource resource, String name, SpanKind kind) {
    statistics.recordUnanalyzed(span(name).resource(resource).kind(kind).duration(MS).build());
  }
}
