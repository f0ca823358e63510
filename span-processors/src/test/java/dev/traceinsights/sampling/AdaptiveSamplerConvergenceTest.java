package dev.traceinsights.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The adaptive sampler under simulated load: operations of very different rates, a controllable
 * clock, random trace ids from a seeded {@link Random}. Roots of each operation arrive evenly
 * spaced (1 ms resolution) with a random phase.
 *
 * <p>The bound checked is the one the class documents: after a warm-up of 30 intervals, the sampled
 * rate over the next 60 intervals is within ±10% of the target for operations at 3× the target or
 * more, when target × interval ≥ 10; operations below target × (1 − tolerance) are sampled whole.
 */
class AdaptiveSamplerConvergenceTest {

  private static final int WARM_UP_INTERVALS = 30;
  private static final int MEASURED_INTERVALS = 60;

  record Load(String operation, double rootsPerSecond) {}

  record Outcome(long roots, long sampled, double seconds, double probability) {
    double sampledPerSecond() {
      return sampled / seconds;
    }
  }

  @Test
  void everyBusyOperationConvergesOnTheTargetAndTheSlowOneIsSampledWhole() {
    List<Load> loads =
        List.of(
            new Load("GET /2000", 2000),
            new Load("GET /200", 200),
            new Load("GET /20", 20),
            new Load("GET /3", 3));

    Map<String, Outcome> outcomes = simulate(1234, 5.0, Duration.ofSeconds(2), loads);

    for (String busy : List.of("GET /2000", "GET /200", "GET /20")) {
      assertThat(outcomes.get(busy).sampledPerSecond()).as(busy).isBetween(4.5, 5.5);
    }
    // A single probability is as noisy as the interval it came from; their order is not.
    assertThat(outcomes.get("GET /2000").probability())
        .isLessThan(outcomes.get("GET /200").probability());
    assertThat(outcomes.get("GET /200").probability())
        .isLessThan(outcomes.get("GET /20").probability());
    Outcome slow = outcomes.get("GET /3");
    assertThat(slow.sampled()).isEqualTo(slow.roots()).isEqualTo(360);
    assertThat(slow.probability()).isEqualTo(1.0);
  }

  /**
   * The ±10 % bound is a statistical one (about three standard deviations of a rate estimated from
   * 600 to 1 200 sampled roots), so over 25 random cases per run it failed now and then on a fresh
   * clone. The generator's seed is therefore fixed: the same 25 varied cases every run.
   */
  @Property(tries = 25, seed = "20261201")
  void convergesForAnySeedTargetAndRates(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int intervalSeconds,
      @ForAll @DoubleRange(min = 10, max = 20) double samplesPerInterval,
      @ForAll @DoubleRange(min = 3, max = 400) double busyRatio,
      @ForAll @DoubleRange(min = 3, max = 10) double moderateRatio,
      @ForAll @DoubleRange(min = 0.05, max = 0.69) double slowRatio) {
    double target = samplesPerInterval / intervalSeconds;
    List<Load> loads =
        List.of(
            new Load("busy", Math.min(2000, busyRatio * target)),
            new Load("moderate", moderateRatio * target),
            new Load("slow", slowRatio * target));

    Map<String, Outcome> outcomes =
        simulate(seed, target, Duration.ofSeconds(intervalSeconds), loads);

    assertThat(outcomes.get("busy").sampledPerSecond()).isBetween(0.9 * target, 1.1 * target);
    assertThat(outcomes.get("moderate").sampledPerSecond()).isBetween(0.9 * target, 1.1 * target);
    assertThat(outcomes.get("slow").sampled()).isEqualTo(outcomes.get("slow").roots());
  }

  static Map<String, Outcome> simulate(
      long seed, double target, Duration interval, List<Load> loads) {
    TestClock clock = TestClock.create();
    AdaptiveSampler sampler =
        AdaptiveSampler.builder()
            .setClock(clock)
            .setTargetSamplesPerSecond(target)
            .setCalculationInterval(interval)
            .build();
    Random random = new Random(seed);
    int n = loads.size();
    double[] due = new double[n];
    for (int i = 0; i < n; i++) {
      due[i] = random.nextDouble();
    }
    long[] roots = new long[n];
    long[] sampled = new long[n];
    long warmUpMillis = interval.toMillis() * WARM_UP_INTERVALS;
    long endMillis = warmUpMillis + interval.toMillis() * MEASURED_INTERVALS;
    for (long millis = 0; millis < endMillis; millis++) {
      boolean measuring = millis >= warmUpMillis;
      for (int i = 0; i < n; i++) {
        due[i] += loads.get(i).rootsPerSecond() / 1000;
        for (; due[i] >= 1; due[i]--) {
          String traceId = TraceId.fromLongs(random.nextLong(), random.nextLong());
          SamplingDecision decision =
              sampler
                  .shouldSample(
                      Context.root(),
                      traceId,
                      loads.get(i).operation(),
                      SpanKind.SERVER,
                      Attributes.empty(),
                      List.of())
                  .getDecision();
          if (measuring) {
            roots[i]++;
            sampled[i] += decision == SamplingDecision.RECORD_AND_SAMPLE ? 1 : 0;
          }
        }
      }
      clock.advance(Duration.ofMillis(1));
    }
    double seconds = (endMillis - warmUpMillis) / 1000.0;
    Map<String, Double> probabilities = sampler.probabilities();
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String operation = loads.get(i).operation();
      outcomes.put(
          operation, new Outcome(roots[i], sampled[i], seconds, probabilities.get(operation)));
    }
    return outcomes;
  }
}
