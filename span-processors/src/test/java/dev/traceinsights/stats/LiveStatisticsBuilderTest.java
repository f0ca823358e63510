package dev.traceinsights.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveStatisticsBuilderTest {

  @Test
  void invalidSettingsAreRejectedNamingTheArgument() {
    LiveStatisticsBuilder builder = LiveStatistics.builder();
    assertThatThrownBy(() -> builder.setWindow(Duration.ZERO))
        .hasMessage("window must be positive");
    assertThatThrownBy(() -> builder.setWindow(null)).hasMessage("window");
    assertThatThrownBy(() -> builder.setMinCallsForQuantile(0))
        .hasMessage("minCallsForQuantile must be positive");
    assertThatThrownBy(() -> builder.setMaxOperations(-1))
        .hasMessage("maxOperations must be non-negative");
    assertThatThrownBy(
            () -> builder.setLatencyThresholds(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("critical must not be below slow");
    assertThatThrownBy(() -> builder.setLatencyThresholds(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("slow must be positive");
    assertThatThrownBy(() -> builder.setErrorRateThresholds(0, 0.2))
        .hasMessage("warning must be in (0, 1]");
    assertThatThrownBy(() -> builder.setErrorRateThresholds(0.3, 0.2))
        .hasMessage("critical must be in [warning, 1]");
    assertThatThrownBy(() -> builder.setErrorRateThresholds(Double.NaN, 0.2))
        .hasMessage("warning must be in (0, 1]");
    assertThatThrownBy(() -> builder.setMinCallsForErrorRate(0))
        .hasMessage("minCallsForErrorRate must be positive");
    assertThatThrownBy(() -> builder.setTopBottlenecks(-1))
        .hasMessage("topBottlenecks must be non-negative");
    assertThatThrownBy(() -> builder.setMaxErrorPatterns(-1))
        .hasMessage("maxErrorPatterns must be non-negative");
    assertThatThrownBy(() -> builder.setRecentTraceLimits(Duration.ZERO, 1, 1))
        .hasMessage("ttl must be positive");
    assertThatThrownBy(() -> builder.setRecentTraceLimits(Duration.ofHours(1), -1, 1))
        .hasMessage("maxTraces must be non-negative");
    assertThatThrownBy(() -> builder.setRecentTraceLimits(Duration.ofHours(1), 1, -1))
        .hasMessage("maxBytes must be non-negative");
    assertThatThrownBy(() -> builder.setMeterProvider(null)).hasMessage("meterProvider");
  }

  @Test
  void toStringShowsTheSettings() {
    LiveStatistics statistics =
        LiveStatistics.builder().setWindow(Duration.ofSeconds(30)).setMaxOperations(7).build();

    assertThat(statistics.toString())
        .startsWith("LiveStatistics{window=PT30S")
        .contains("maxOperations=7")
        .contains("latencyThresholds=PT1S/PT5S")
        .contains("recentTraces=PT2H/2000/52428800B");
  }
}
