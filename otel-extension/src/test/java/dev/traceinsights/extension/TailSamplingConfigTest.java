package dev.traceinsights.extension;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.tail.TailSamplerBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TailSamplingConfigTest {

  private final List<String> warnings = new ArrayList<>();

  @Test
  void defaults() {
    TailSamplingConfig config = read(Map.of());

    assertThat(config)
        .isEqualTo(
            new TailSamplingConfig(
                true,
                true,
                TailSamplerBuilder.DEFAULT_SLOW_THRESHOLD,
                TailSamplerBuilder.DEFAULT_SLOW_PERCENTILE,
                Set.of(),
                true,
                TailSamplerBuilder.DEFAULT_RARE_THRESHOLD,
                0,
                TailSamplerBuilder.DEFAULT_MAX_KEPT_PER_SECOND));
    assertThat(warnings).isEmpty();
  }

  @Test
  void readsEveryKey() {
    TailSamplingConfig config =
        read(
            Map.of(
                "traceinsights.tail.enabled", "false",
                "traceinsights.tail.errors", "false",
                "traceinsights.tail.slow.threshold", "250ms",
                "traceinsights.tail.slow.percentile", "95",
                "traceinsights.tail.bottleneck.categories", "database, REMOTE_CALL",
                "traceinsights.tail.n-plus-one", "false",
                "traceinsights.tail.rare.threshold", "0",
                "traceinsights.tail.probability", "0.01",
                "traceinsights.tail.max-per-second", "2.5"));

    assertThat(config)
        .isEqualTo(
            new TailSamplingConfig(
                false,
                false,
                Duration.ofMillis(250),
                95,
                Set.of(BottleneckCategory.DATABASE, BottleneckCategory.REMOTE_CALL),
                false,
                0,
                0.01,
                2.5));
    assertThat(config.toSampler()).isNotNull();
    assertThat(warnings).isEmpty();
  }

  @Test
  void badValuesAreNamedAndDefaulted() {
    TailSamplingConfig config =
        read(
            Map.of(
                "traceinsights.tail.slow.percentile", "100",
                "traceinsights.tail.bottleneck.categories", "database,disk",
                "traceinsights.tail.probability", "half",
                "traceinsights.tail.max-per-second", "0"));

    assertThat(warnings)
        .containsExactlyInAnyOrder(
            "Trace Insights: invalid value '100' for traceinsights.tail.slow.percentile: expected"
                + " a number from 0.0 to 99.999; using the default 99.0",
            "Trace Insights: invalid value 'database,disk' for"
                + " traceinsights.tail.bottleneck.categories: expected a comma-separated list of"
                + " database, remote_call, messaging, internal, unknown; using the default []",
            "Trace Insights: invalid value 'half' for traceinsights.tail.probability: expected a"
                + " number from 0.0 to 1.0; using the default 0.0",
            "Trace Insights: invalid value '0' for traceinsights.tail.max-per-second: expected a"
                + " number greater than 0.0; using the default 100.0");
    assertThat(config).isEqualTo(read(Map.of()));
  }

  private TailSamplingConfig read(Map<String, String> properties) {
    return TailSamplingConfig.read(
        new ConfigReader(DefaultConfigProperties.createFromMap(properties), warnings::add));
  }
}
