package dev.traceinsights.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.stats.OperationKey;
import dev.traceinsights.tail.RecordedTraces.Recorded;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TailSamplerTest {

  private static final long NOW = TimeUnit.SECONDS.toNanos(1000);

  /** Every keep policy off: tests switch on the one they look at. */
  private static TailSamplerBuilder nothingKept() {
    return TailSampler.builder()
        .setKeepErrors(false)
        .setSlowThreshold(Duration.ZERO)
        .setSlowPercentile(0)
        .setKeepNPlusOne(false)
        .setRareThreshold(0);
  }

  private final RecordedTraces recorded = RecordedTraces.recordedOnly();

  @AfterEach
  void close() {
    recorded.close();
  }

  @Test
  void headSampledTracesAreAlwaysKeptAndNotRateLimited() {
    TailSampler sampler = nothingKept().setMaxKeptPerSecond(1).build();
    try (RecordedTraces sampled = RecordedTraces.headSampled()) {
      for (int i = 0; i < 3; i++) {
        Recorded trace = sampled.server("GET /", 10).end();
        assertThat(decide(sampler, trace, OperationHistory.NONE)).isEqualTo(keep(KeepReason.HEAD));
      }
    }
    assertThat(sampler.stats().keptTraces(KeepReason.HEAD)).isEqualTo(3);
  }

  @Test
  void headSampledTraces_decidedLikeAnyOther_whenHeadSamplingIsNotKept() {
    TailSampler sampler = nothingKept().setKeepHeadSampled(false).build();
    try (RecordedTraces sampled = RecordedTraces.headSampled()) {
      Recorded trace = sampled.server("GET /", 10).end();
      assertThat(decide(sampler, trace, OperationHistory.NONE))
          .isEqualTo(TailDecision.drop(DropReason.NOT_SELECTED));
    }
    assertThat(sampler.stats().keptTraces(KeepReason.HEAD)).isZero();
  }

  @Test
  void nothingMatchingIsDroppedAndCounted() {
    TailSampler sampler = nothingKept().build();
    Recorded trace = recorded.server("GET /", 10).child("work", SpanKind.INTERNAL, 1, 9).end();

    assertThat(decide(sampler, trace, OperationHistory.NONE))
        .isEqualTo(TailDecision.drop(DropReason.NOT_SELECTED));
    assertThat(sampler.stats().droppedTraces(DropReason.NOT_SELECTED)).isEqualTo(1);
    assertThat(sampler.stats().droppedSpans(DropReason.NOT_SELECTED)).isEqualTo(2);
  }

  @Test
  void errorsAreKept() {
    TailSampler sampler = nothingKept().setKeepErrors(true).build();

    assertThat(decide(sampler, recorded.server("GET /", 10).failing().end()))
        .isEqualTo(keep(KeepReason.ERROR));
    assertThat(decide(sampler, recorded.server("GET /", 10).end()).isKept()).isFalse();
  }

  @Test
  void slowByAbsoluteThresholdIsInclusive() {
    TailSampler sampler = nothingKept().setSlowThreshold(Duration.ofMillis(500)).build();

    assertThat(decide(sampler, recorded.server("GET /", 500).end()))
        .isEqualTo(keep(KeepReason.SLOW));
    assertThat(decide(sampler, recorded.server("GET /", 499).end()).isKept()).isFalse();
  }

  @Test
  void slowerThanTheOperationsLivePercentileIsKept() {
    TailSampler sampler = nothingKept().setSlowPercentile(99).build();
    OperationKey getRoot = new OperationKey("unknown_service:java", "GET /", SpanKind.SERVER);
    double[] askedQuantile = new double[1];
    OperationHistory p99Is50ms =
        history(
            (operation, quantile) -> {
              askedQuantile[0] = quantile;
              return operation.equals(getRoot) ? TimeUnit.MILLISECONDS.toNanos(50) : Double.NaN;
            },
            100);

    assertThat(decide(sampler, recorded.server("GET /", 51).end(), p99Is50ms))
        .isEqualTo(keep(KeepReason.SLOW));
    assertThat(askedQuantile[0]).isEqualTo(0.99);
    assertThat(decide(sampler, recorded.server("GET /", 50).end(), p99Is50ms).isKept()).isFalse();
    // Another operation, with no percentile known yet: no evidence, not slow.
    assertThat(decide(sampler, recorded.server("GET /x", 5000).end(), p99Is50ms).isKept())
        .isFalse();
  }

  @Test
  void chosenBottleneckCategoriesAreKept() {
    // root  |0==================100|
    // query    |10=========90|        db.system=h2: the bottleneck, category database
    Recorded slowQuery =
        recorded
            .server("GET /", 100)
            .child("SELECT", SpanKind.CLIENT, 10, 90, "select * from stock")
            .end();
    assertThat(slowQuery.analysis().bottlenecks().get(0).category())
        .isEqualTo(BottleneckCategory.DATABASE);

    assertThat(
            decide(
                nothingKept().setBottleneckCategories(Set.of(BottleneckCategory.DATABASE)).build(),
                slowQuery))
        .isEqualTo(keep(KeepReason.BOTTLENECK));
    assertThat(
            decide(
                    nothingKept()
                        .setBottleneckCategories(Set.of(BottleneckCategory.REMOTE_CALL))
                        .build(),
                    slowQuery)
                .isKept())
        .isFalse();
  }

  @Test
  void nPlusOneIsKept() {
    RecordedTraces.Trace orders = recorded.server("GET /orders", 100);
    for (int i = 0; i < 6; i++) {
      orders.child("SELECT", SpanKind.CLIENT, 10 + i * 10, 15 + i * 10, "select * from items");
    }
    Recorded trace = orders.end();
    assertThat(trace.analysis().nPlusOne()).isNotEmpty();

    assertThat(decide(nothingKept().setKeepNPlusOne(true).build(), trace))
        .isEqualTo(keep(KeepReason.N_PLUS_ONE));
    assertThat(decide(nothingKept().build(), trace).isKept()).isFalse();
  }

  @Test
  void operationsSeenFewerThanTheThresholdTimesAreRare() {
    TailSampler sampler = nothingKept().setRareThreshold(3).build();
    Recorded trace = recorded.server("GET /", 10).end();

    assertThat(decide(sampler, trace, history((operation, quantile) -> Double.NaN, 2)))
        .isEqualTo(keep(KeepReason.RARE));
    assertThat(decide(sampler, trace, history((operation, quantile) -> Double.NaN, 3)).isKept())
        .isFalse();
  }

  @Test
  void probabilityKeepsTheSameTracesInEveryProcess() {
    // No cap in the way: all decisions happen at the same instant.
    TailSampler half = nothingKept().setProbability(0.5).setMaxKeptPerSecond(1e9).build();
    TailSampler otherProcess = nothingKept().setProbability(0.5).setMaxKeptPerSecond(1e9).build();
    int traces = 4000;
    int kept = 0;
    for (int i = 0; i < traces; i++) {
      Recorded trace = recorded.server("GET /", 1).end();
      TailDecision decision = decide(half, trace);
      assertThat(decide(otherProcess, trace)).isEqualTo(decision);
      if (decision.isKept()) {
        assertThat(decision.keepReason()).isEqualTo(KeepReason.PROBABILISTIC);
        kept++;
      }
    }
    // Binomial(4000, 0.5): standard deviation 31.6; 5 of them is a bound a fair coin breaks with
    // probability below 1e-6.
    assertThat(kept).isBetween(2000 - 158, 2000 + 158);

    Recorded any = recorded.server("GET /", 1).end();
    assertThat(decide(nothingKept().setProbability(1).build(), any))
        .isEqualTo(keep(KeepReason.PROBABILISTIC));
    assertThat(decide(nothingKept().setProbability(0).build(), any).isKept()).isFalse();
  }

  @Test
  void theFirstMatchingPolicyIsTheReason() {
    TailSampler sampler =
        TailSampler.builder().setSlowThreshold(Duration.ofMillis(100)).setRareThreshold(10).build();

    // Errored, slow and rare at once: the error is the reason.
    assertThat(decide(sampler, recorded.server("GET /", 200).failing().end()))
        .isEqualTo(keep(KeepReason.ERROR));
    // Slow and rare: slow.
    assertThat(decide(sampler, recorded.server("GET /", 200).end()))
        .isEqualTo(keep(KeepReason.SLOW));
    // Only rare.
    assertThat(decide(sampler, recorded.server("GET /", 20).end()))
        .isEqualTo(keep(KeepReason.RARE));
  }

  @Test
  void keptTracesAreCappedPerSecond() {
    TailSampler sampler = nothingKept().setKeepErrors(true).setMaxKeptPerSecond(2).build();
    Recorded failed = recorded.server("GET /", 10).failing().end();

    // A full bucket holds one second's worth: two traces, then the cap.
    assertThat(decide(sampler, failed, NOW).isKept()).isTrue();
    assertThat(decide(sampler, failed, NOW).isKept()).isTrue();
    assertThat(decide(sampler, failed, NOW)).isEqualTo(TailDecision.drop(DropReason.RATE_LIMITED));
    // Half a second later one token has come back.
    long later = NOW + TimeUnit.MILLISECONDS.toNanos(500);
    assertThat(decide(sampler, failed, later).isKept()).isTrue();
    assertThat(decide(sampler, failed, later).isKept()).isFalse();
    // A long quiet spell refills no more than one second's worth.
    long muchLater = NOW + TimeUnit.MINUTES.toNanos(10);
    assertThat(decide(sampler, failed, muchLater).isKept()).isTrue();
    assertThat(decide(sampler, failed, muchLater).isKept()).isTrue();
    assertThat(decide(sampler, failed, muchLater).isKept()).isFalse();

    assertThat(sampler.stats().keptTraces(KeepReason.ERROR)).isEqualTo(5);
    assertThat(sampler.stats().droppedTraces(DropReason.RATE_LIMITED)).isEqualTo(3);
  }

  @Test
  void decisionsAreRememberedForLateSpansWithinABound() {
    TailSampler sampler = nothingKept().setKeepErrors(true).build();
    Recorded kept = recorded.server("GET /", 10).failing().end();
    Recorded dropped = recorded.server("GET /", 10).end();
    decide(sampler, kept);
    decide(sampler, dropped);

    assertThat(sampler.decisionFor(kept.analysis().traceId())).isEqualTo(keep(KeepReason.ERROR));
    assertThat(sampler.decisionFor(dropped.analysis().traceId()))
        .isEqualTo(TailDecision.drop(DropReason.NOT_SELECTED));
    assertThat(sampler.decisionFor("00000000000000000000000000000001")).isNull();

    for (int i = 0; i < TailSampler.REMEMBERED_DECISIONS; i++) {
      decide(sampler, recorded.server("GET /", 1).end());
    }
    assertThat(sampler.decisionFor(kept.analysis().traceId())).isNull();
  }

  @Test
  void invalidSettingsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> TailSampler.builder().setProbability(1.5))
        .hasMessageContaining("probability");
    assertThatThrownBy(() -> TailSampler.builder().setSlowPercentile(100))
        .hasMessageContaining("slowPercentile");
    assertThatThrownBy(() -> TailSampler.builder().setMaxKeptPerSecond(0))
        .hasMessageContaining("maxKeptPerSecond");
    assertThatThrownBy(() -> TailSampler.builder().setRareThreshold(-1))
        .hasMessageContaining("rareThreshold");
    assertThatThrownBy(() -> TailSampler.builder().setSlowThreshold(Duration.ofMillis(-1)))
        .hasMessageContaining("slowThreshold");
  }

  private static TailDecision keep(KeepReason reason) {
    return TailDecision.keep(reason);
  }

  private static TailDecision decide(TailSampler sampler, Recorded trace) {
    return decide(sampler, trace, OperationHistory.NONE);
  }

  private static TailDecision decide(TailSampler sampler, Recorded trace, long nowNanos) {
    return sampler.decide(trace.analysis(), trace.localRoot(), OperationHistory.NONE, nowNanos);
  }

  private static TailDecision decide(
      TailSampler sampler, Recorded trace, OperationHistory history) {
    return sampler.decide(trace.analysis(), trace.localRoot(), history, NOW);
  }

  private interface Quantiles {
    double of(OperationKey operation, double quantile);
  }

  private static OperationHistory history(Quantiles quantiles, long recentCalls) {
    return new OperationHistory() {
      @Override
      public double durationQuantileNanos(OperationKey operation, double quantile) {
        return quantiles.of(operation, quantile);
      }

      @Override
      public long recentCalls(OperationKey operation) {
        return recentCalls;
      }
    };
  }
}
