package dev.traceinsights.extension;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.stats.LiveStatisticsBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatisticsConfigTest {

  private final List<String> warnings = new ArrayList<>();

  @Test
  void defaults() {
    assertThat(read(Map.of()))
        .isEqualTo(
            new StatisticsConfig(
                true,
                LiveStatisticsBuilder.DEFAULT_WINDOW,
                LiveStatisticsBuilder.DEFAULT_MAX_OPERATIONS,
                LiveStatisticsBuilder.DEFAULT_SLOW_THRESHOLD,
                LiveStatisticsBuilder.DEFAULT_CRITICAL_LATENCY_THRESHOLD,
                LiveStatisticsBuilder.DEFAULT_ERROR_RATE_WARNING,
                LiveStatisticsBuilder.DEFAULT_ERROR_RATE_CRITICAL,
                LiveStatisticsBuilder.DEFAULT_RECENT_TRACE_TTL,
                0, // off under the agent: nothing can read them
                LiveStatisticsBuilder.DEFAULT_MAX_RECENT_TRACE_BYTES,
                LiveStatisticsBuilder.DEFAULT_SAMPLES_PER_WINDOW));
    assertThat(warnings).isEmpty();
  }

  @Test
  void readsEveryKey() {
    StatisticsConfig config =
        read(
            Map.ofEntries(
                Map.entry("traceinsights.stats.enabled", "false"),
                Map.entry("traceinsights.stats.window", "30s"),
                Map.entry("traceinsights.stats.max-operations", "10"),
                Map.entry("traceinsights.health.slow", "200ms"),
                Map.entry("traceinsights.health.critical", "2s"),
                Map.entry("traceinsights.health.error-rate.warning", "0.05"),
                Map.entry("traceinsights.health.error-rate.critical", "0.5"),
                Map.entry("traceinsights.recent.ttl", "10m"),
                Map.entry("traceinsights.recent.max-traces", "50"),
                Map.entry("traceinsights.recent.max-bytes", "1MB"),
                Map.entry("traceinsights.stats.samples-per-window", "64")));

    assertThat(config)
        .isEqualTo(
            new StatisticsConfig(
                false,
                Duration.ofSeconds(30),
                10,
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                0.05,
                0.5,
                Duration.ofMinutes(10),
                50,
                1024 * 1024,
                64));
    assertThat(config.toStatistics()).isNotNull();
    assertThat(warnings).isEmpty();
  }

  @Test
  void thresholdsOutOfOrderFallBackToTheDefaults() {
    StatisticsConfig config =
        read(
            Map.of(
                "traceinsights.health.slow", "10s",
                "traceinsights.health.critical", "1s",
                "traceinsights.health.error-rate.warning", "0.5",
                "traceinsights.health.error-rate.critical", "0.1"));

    assertThat(warnings)
        .containsExactly(
            "Trace Insights: traceinsights.health.critical=1s must not be below"
                + " traceinsights.health.slow=10s; using the defaults",
            "Trace Insights: traceinsights.health.error-rate.critical=0.1 must not be below"
                + " traceinsights.health.error-rate.warning=0.5; using the defaults");
    assertThat(config).isEqualTo(new StatisticsConfigTest().read(Map.of()));
  }

  private StatisticsConfig read(Map<String, String> properties) {
    return StatisticsConfig.read(
        new ConfigReader(DefaultConfigProperties.createFromMap(properties), warnings::add));
  }
}
