package dev.traceinsights.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceinsights.enrichment.AttributeLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorConfigTest {

  @TempDir Path dir;

  private static CollectorConfig from(String... overrides) {
    return CollectorConfig.from(ConfigSource.load(null, List.of(overrides)));
  }

  @Test
  void defaults_listenOnLocalhost_withTheCollectorsPorts() {
    CollectorConfig config = from("exporters.otlp.endpoint=http://jaeger:4317");

    assertThat(config.grpcEndpoint()).isEqualTo(new HostPort("localhost", 4317));
    assertThat(config.httpEndpoint()).isEqualTo(new HostPort("localhost", 4318));
    assertThat(config.grpcMaxMessageBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(config.metricsEndpoint()).isEqualTo(new HostPort("localhost", 8888));
    assertThat(config.healthEndpoint()).isEqualTo(new HostPort("localhost", 13133));
    assertThat(config.processor().attributeLevel()).isEqualTo(AttributeLevel.STANDARD);
    assertThat(config.processor().quietPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.processor().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.exporters())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo("otlp");
              assertThat(e.protocol()).isEqualTo("grpc");
              assertThat(e.gzip()).isTrue();
            });
  }

  @Test
  void yamlFile_shapedLikeTheCollectors_withSetOverridingIt() throws IOException {
    Path file = dir.resolve("collector.yaml");
    Files.writeString(
        file,
        """
        receivers:
          otlp:
            grpc:
              endpoint: 0.0.0.0:14317
            http:
              endpoint: none
        processors:
          traceinsights:
            attributes: full
            decision:
              quiet_period: 500ms
        exporters:
          otlp:
            endpoint: http://tempo:4318
            protocol: http/protobuf
            headers:
              authorization: Bearer s3cret
          zipkin:
            endpoint: http://zipkin:9411/api/v2/spans
        """);

    CollectorConfig config =
        CollectorConfig.from(
            ConfigSource.load(file, List.of("processors.traceinsights.decision.quiet_period=2s")));

    assertThat(config.grpcEndpoint()).isEqualTo(new HostPort("0.0.0.0", 14317));
    assertThat(config.httpEndpoint()).isNull();
    assertThat(config.processor().attributeLevel()).isEqualTo(AttributeLevel.FULL);
    assertThat(config.processor().quietPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.exporters())
        .extracting(ExporterConfig::name)
        .containsExactly("otlp", "zipkin");
    ExporterConfig otlp = config.exporters().get(0);
    assertThat(otlp.headers()).isEqualTo(Map.of("authorization", "Bearer s3cret"));
    assertThat(otlp.toString()).doesNotContain("s3cret");
  }

  @Test
  void unknownKey_isAnError_namingIt() {
    assertThatThrownBy(
            () ->
                from(
                    "exporters.otlp.endpoint=http://jaeger:4317",
                    "processors.traceinsights.decision.decision_wait=5s"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "processors.traceinsights.decision.decision_wait: unknown key; the README lists the"
                + " keys the collector takes");
  }

  @Test
  void badValues_nameTheKeyAndWhatIsAccepted() {
    String exporter = "exporters.otlp.endpoint=http://jaeger:4317";
    assertThatThrownBy(() -> from(exporter, "exporters.otlp.protocol=thrift"))
        .hasMessage(
            "exporters.otlp.protocol: 'thrift' is not accepted; expected grpc, http/json,"
                + " http/protobuf");
    assertThatThrownBy(() -> from(exporter, "receivers.otlp.grpc.endpoint=localhost"))
        .hasMessageStartingWith("receivers.otlp.grpc.endpoint: 'localhost' is not accepted");
    assertThatThrownBy(() -> from(exporter, "processors.traceinsights.decision.timeout=soon"))
        .hasMessage(
            "processors.traceinsights.decision.timeout: 'soon' is not accepted; expected a"
                + " duration such as 200ms, 30s or 5m");
    assertThatThrownBy(() -> from(exporter, "processors.traceinsights.attributes=all"))
        .hasMessageContaining("minimal, standard or full");
    assertThatThrownBy(() -> from("exporters.zipkin.endpoint=zipkin:9411"))
        .hasMessageContaining("an http:// or https:// URL with a host");
    assertThatThrownBy(() -> from(exporter, "--nonsense"))
        .hasMessageStartingWith("--set: '--nonsense' is not accepted; expected key=value");
  }

  @Test
  void noExporter_isAnError_sayingHowToSetOne() {
    assertThatThrownBy(() -> from())
        .hasMessageStartingWith("exporters: none configured; set exporters.otlp.endpoint");
  }

  @Test
  void badYaml_oneLine() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "receivers:\n  otlp: [unclosed\n");

    assertThatThrownBy(() -> ConfigSource.load(file, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--config: " + file + " is not valid YAML: ")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> ConfigSource.load(dir.resolve("missing.yaml"), List.of()))
        .hasMessageStartingWith("--config: no such file: ");
  }
}
