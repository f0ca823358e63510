package dev.traceinsights.extension;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.TraceInsightsSpanProcessorBuilder;
import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.internal.DurationText;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceInsightsConfigTest {

  private final List<String> warnings = new ArrayList<>();

  @Test
  void defaultsWhenNothingIsSet() {
    TraceInsightsConfig config = read(Map.of());

    assertThat(config.enabled()).isTrue();
    assertThat(config.captureAllocations()).isTrue();
    assertThat(config.captureCpuTime()).isFalse();
    assertThat(config.captureThreadName()).isTrue();
    assertThat(config.assemblyLimits()).isEqualTo(AssemblyLimits.defaults());
    assertThat(config.queueSize()).isEqualTo(TraceInsightsSpanProcessorBuilder.DEFAULT_QUEUE_SIZE);
    assertThat(config.analysisSettings()).isEqualTo(AnalysisSettings.defaults());
    assertThat(config.attributeLevel()).isEqualTo(AttributeLevel.STANDARD);
    assertThat(config.minAllocatedBytes()).isEqualTo(1024 * 1024);
    assertThat(warnings).isEmpty();
  }

  @Test
  void readsEveryKey() {
    TraceInsightsConfig config =
        read(
            Map.ofEntries(
                Map.entry("traceinsights.enabled", "TRUE"),
                Map.entry("traceinsights.capture.allocations", "false"),
                Map.entry("traceinsights.capture.cpu-time", "true"),
                Map.entry("traceinsights.capture.thread-name", "false"),
                Map.entry("traceinsights.trace.grace", "1s"),
                Map.entry("traceinsights.trace.timeout", "2m"),
                Map.entry("traceinsights.buffer.max-traces", "10"),
                Map.entry("traceinsights.buffer.max-spans-per-trace", "20"),
                Map.entry("traceinsights.buffer.max-bytes", "3MB"),
                Map.entry("traceinsights.queue.size", "40"),
                Map.entry("traceinsights.depth.warning", "5"),
                Map.entry("traceinsights.depth.critical", "6"),
                Map.entry("traceinsights.fan-out.warning", "7"),
                Map.entry("traceinsights.fan-out.critical", "8"),
                Map.entry("traceinsights.n-plus-one.threshold", "9"),
                Map.entry("traceinsights.attributes", "FULL"),
                Map.entry("traceinsights.attributes.min-allocated-bytes", "64KB")));

    assertThat(config.enabled()).isTrue();
    assertThat(config.captureAllocations()).isFalse();
    assertThat(config.captureCpuTime()).isTrue();
    assertThat(config.captureThreadName()).isFalse();
    assertThat(config.assemblyLimits())
        .isEqualTo(
            new AssemblyLimits(
                10,
                20,
                3L * 1024 * 1024,
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                AssemblyLimits.DEFAULT_REMEMBERED_SPANS));
    assertThat(config.queueSize()).isEqualTo(40);
    assertThat(config.analysisSettings()).isEqualTo(new AnalysisSettings(5, 6, 7, 8, 9));
    assertThat(config.attributeLevel()).isEqualTo(AttributeLevel.FULL);
    assertThat(config.minAllocatedBytes()).isEqualTo(64 * 1024);
    assertThat(warnings).isEmpty();
  }

  @Test
  void environmentVariableSpellingIsAccepted() {
    // DefaultConfigProperties maps TRACEINSIGHTS_CAPTURE_CPU_TIME to traceinsights.capture.cpu.time
    TraceInsightsConfig config = read(Map.of("traceinsights.capture.cpu.time", "true"));
    assertThat(config.captureCpuTime()).isTrue();
  }

  @Test
  void everyBadValueGivesOneLineNamingKeyAndAcceptedValuesThenTheDefault() {
    TraceInsightsConfig config =
        read(
            Map.of(
                "traceinsights.enabled", "yes",
                "traceinsights.trace.grace", "soon",
                "traceinsights.trace.timeout", "0s",
                "traceinsights.buffer.max-traces", "-1",
                "traceinsights.buffer.max-bytes", "lots",
                "traceinsights.n-plus-one.threshold", "1",
                "traceinsights.attributes", "everything"));

    assertThat(warnings)
        .containsExactlyInAnyOrder(
            "Trace Insights: invalid value 'yes' for traceinsights.enabled: expected true or"
                + " false; using the default true",
            "Trace Insights: invalid value 'soon' for traceinsights.trace.grace: expected a"
                + " non-negative duration such as 200ms, 5s or 2m (a bare number is"
                + " milliseconds); using the default 200ms",
            "Trace Insights: invalid value '0s' for traceinsights.trace.timeout: expected a"
                + " positive duration such as 200ms, 5s or 2m (a bare number is milliseconds);"
                + " using the default 30s",
            "Trace Insights: invalid value '-1' for traceinsights.buffer.max-traces: expected an"
                + " integer >= 1; using the default 4096",
            "Trace Insights: invalid value 'lots' for traceinsights.buffer.max-bytes: expected a"
                + " positive size in bytes, optionally with KB, MB or GB; using the default"
                + " 67108864",
            "Trace Insights: invalid value '1' for traceinsights.n-plus-one.threshold: expected an"
                + " integer >= 2; using the default 5",
            "Trace Insights: invalid value 'everything' for traceinsights.attributes: expected"
                + " minimal, standard or full; using the default standard");
    assertThat(config.attributeLevel()).isEqualTo(AttributeLevel.STANDARD);
    assertThat(config.enabled()).isTrue();
    assertThat(config.assemblyLimits()).isEqualTo(AssemblyLimits.defaults());
    assertThat(config.analysisSettings()).isEqualTo(AnalysisSettings.defaults());
  }

  @Test
  void thresholdsOutOfOrderFallBackToTheDefaultPair() {
    TraceInsightsConfig config =
        read(Map.of("traceinsights.depth.warning", "30", "traceinsights.depth.critical", "20"));

    assertThat(warnings)
        .containsExactly(
            "Trace Insights: traceinsights.depth.critical=20 must not be below"
                + " traceinsights.depth.warning=30; using the defaults 15 and 25");
    assertThat(config.analysisSettings().depthWarning()).isEqualTo(15);
    assertThat(config.analysisSettings().depthCritical()).isEqualTo(25);
  }

  @Test
  void startupLineNamesWhatIsOnAndNoSecret() {
    TraceInsightsConfig config =
        read(
            Map.of(
                "traceinsights.alerts.webhook.url", "https://hooks.example.com/T000/secret-path",
                "traceinsights.alerts.webhook.secret", "s3cret",
                "traceinsights.trend.enabled", "false",
                "traceinsights.trace.grace", "250ms"));

    assertThat(config.startupLine("1.2.3"))
        .isEqualTo(
            "Trace Insights 1.2.3 loaded: analysis on (attributes=standard, grace=250ms), capture"
                + " allocations, thread-name, tail decisions on, statistics on (window 1m),"
                + " detection on (regression, anomalies), alerts logs, webhook")
        .doesNotContain("secret", "s3cret", "hooks.example.com");
    assertThat(read(Map.of("traceinsights.enabled", "false")).startupLine("1.2.3"))
        .isEqualTo("Trace Insights 1.2.3 loaded: off (traceinsights.enabled=false)");
  }

  @Test
  void durationsAreWrittenTheWayTheyAreConfigured() {
    assertThat(DurationText.format(Duration.ofMillis(200))).isEqualTo("200ms");
    assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DurationText.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(DurationText.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(DurationText.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
    assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0");
  }

  private TraceInsightsConfig read(Map<String, String> properties) {
    return TraceInsightsConfig.read(
        DefaultConfigProperties.createFromMap(properties), warnings::add);
  }
}
