package dev.traceinsights.harness;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Trace Insights collector, run as users run it: {@code java -jar trace-insights-collector.jar
 * --set key=value ...}, with its receivers, metrics and health endpoint on free ports of 127.0.0.1.
 * As a {@link TraceBackend}, the services' agents export OTLP/gRPC to it, and traces are read back
 * from the Zipkin API of the backend it exports to.
 */
public final class CollectorProcess implements TraceBackend {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final ChildProcess process;
  private final int grpcPort;
  private final int httpPort;
  private final int metricsPort;
  private final URI readBack;

  private CollectorProcess(
      ChildProcess process, int grpcPort, int httpPort, int metricsPort, URI readBack) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.metricsPort = metricsPort;
    this.readBack = readBack;
  }

  /**
   * @param settings {@code --set} keys beyond the endpoints, which this class chooses
   * @param readBack the Zipkin API of a backend the collector exports to
   */
  public static CollectorProcess start(
      Path jar, Path workDir, Map<String, String> settings, URI readBack) {
    int grpc = FreePort.pick();
    int http = FreePort.pick();
    int metrics = FreePort.pick();
    int health = FreePort.pick();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("receivers.otlp.grpc.endpoint", "127.0.0.1:" + grpc);
    all.put("receivers.otlp.http.endpoint", "127.0.0.1:" + http);
    all.put("service.telemetry.metrics.endpoint", "127.0.0.1:" + metrics);
    all.put("extensions.health_check.endpoint", "127.0.0.1:" + health);
    all.putAll(settings);
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.currentJava().toString());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(Artifacts.require(jar).toAbsolutePath().toString());
    all.forEach((key, value) -> command.add("--set=" + key + "=" + value));
    Path dir = workDir.toAbsolutePath();
    ChildProcess process =
        ChildProcess.start("collector", command, Map.of(), dir, dir.resolve("collector.log"));
    try {
      process.awaitHttpOk(URI.create("http://127.0.0.1:" + health + "/"), STARTUP_TIMEOUT);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return new CollectorProcess(process, grpc, http, metrics, readBack);
  }

  /** Agent settings that export OTLP/gRPC to the collector. */
  @Override
  public Map<String, String> exporterProperties() {
    return Map.of(
        "otel.traces.exporter", "otlp",
        "otel.exporter.otlp.protocol", "grpc",
        "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + grpcPort);
  }

  /** Agent settings that export OTLP/HTTP with protobuf bodies to the collector. */
  public Map<String, String> httpProtobufExporterProperties() {
    return Map.of(
        "otel.traces.exporter", "otlp",
        "otel.exporter.otlp.protocol", "http/protobuf",
        "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + httpPort);
  }

  @Override
  public URI zipkinApi() {
    return readBack;
  }

  public URI metricsEndpoint() {
    return URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
  }

  public ChildProcess process() {
    return process;
  }

  /** SIGTERM: the collector flushes what it holds before it exits. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "CollectorProcess{grpc=" + grpcPort + ", http=" + httpPort + "}";
  }
}
