package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.key;
import static dev.traceinsights.stats.StatsTestSpans.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** The 1 % bound on any sample within the 8.8 decades the bins cover, zeros included. */
class DurationQuantilesPropertiesTest {

  private static final OperationKey OPERATION = key("op", SpanKind.SERVER);
  private static final double[] QUANTILES = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1};

  @Provide
  Arbitrary<List<Long>> durations() {
    // 1 us .. 100 s is 8 decades; zero durations (clock granularity) happen too.
    Arbitrary<Long> duration =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(0L)),
            Tuple.of(
                20,
                Arbitraries.doubles()
                    .between(3, 11)
                    .map(exponent -> (long) Math.pow(10, exponent))));
    return duration.list().ofMinSize(1).ofMaxSize(300);
  }

  @Property(tries = 300)
  void everyQuantileIsWithinOnePercentOfTheExactSample(@ForAll("durations") List<Long> durations) {
    LiveStatistics statistics =
        LiveStatistics.builder().setClock(TestClock.create()).setMinCallsForQuantile(1).build();
    for (long duration : durations) {
      statistics.recordUnanalyzed(server("op", duration));
    }
    long[] sorted = durations.stream().mapToLong(Long::longValue).sorted().toArray();

    for (double quantile : QUANTILES) {
      long exact = DurationQuantilesTest.exact(sorted, quantile);
      assertThat(statistics.durationQuantileNanos(OPERATION, quantile))
          .as("q=%s of %s", quantile, durations)
          .isCloseTo(exact, within(0.01 * exact));
    }
  }
}
