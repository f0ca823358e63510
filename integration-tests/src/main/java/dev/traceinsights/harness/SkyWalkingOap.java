package dev.traceinsights.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real Apache SkyWalking OAP server: an OTLP/gRPC trace receiver whose spans are read back
 * through its Zipkin-format query API ({@code /zipkin/api/v2/...}). It needs a {@code config/}
 * directory on its classpath; ours (H2 in memory, ports from environment variables) is a resource
 * of this module, copied into the work directory at start.
 */
public final class SkyWalkingOap implements TraceBackend {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

  /** Every file of the minimal configuration, under the resource folder skywalking-config/. */
  private static final List<String> CONFIG_FILES =
      List.of(
          "application.yml",
          "component-libraries.yml",
          "endpoint-name-grouping.yml",
          "log4j2.xml",
          "service-apdex-threshold.yml",
          "oal/disable.oal",
          "otel-rules/README.txt");

  private final ChildProcess process;
  private final int grpcPort;
  private final int queryPort;

  private SkyWalkingOap(ChildProcess process, int grpcPort, int queryPort) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.queryPort = queryPort;
  }

  /** Starts the OAP with the jars of {@code libDir} (the server-starter's runtime classpath). */
  public static SkyWalkingOap start(Path libDir, Path workDir) {
    Artifacts.require(libDir);
    Path config = workDir.resolve("config");
    copyConfig(config);
    int grpcPort = FreePort.pick();
    int restPort = FreePort.pick();
    int queryPort = FreePort.pick();
    List<String> command =
        List.of(
            ChildProcess.currentJava().toString(),
            "-Xmx1g",
            "-cp",
            config + java.io.File.pathSeparator + libDir.toAbsolutePath() + "/*",
            "org.apache.skywalking.oap.server.starter.OAPServerStartUp");
    // application.yml reads its ports from these variables (SkyWalking's own names).
    Map<String, String> environment =
        Map.of(
            "SW_CORE_GRPC_PORT", String.valueOf(grpcPort),
            "SW_CORE_REST_PORT", String.valueOf(restPort),
            "SW_QUERY_ZIPKIN_REST_PORT", String.valueOf(queryPort));
    ChildProcess process =
        ChildProcess.start(
            "skywalking-oap", command, environment, workDir, workDir.resolve("skywalking-oap.log"));
    SkyWalkingOap oap = new SkyWalkingOap(process, grpcPort, queryPort);
    try {
      // The query API starts after every module (the OTLP receiver included) is up.
      process.awaitHttpOk(oap.zipkinApi().resolve("services"), STARTUP_TIMEOUT);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return oap;
  }

  private static void copyConfig(Path target) {
    for (String file : CONFIG_FILES) {
      String resource = "/skywalking-config/" + file;
      try (InputStream in = SkyWalkingOap.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource);
        }
        Path destination = target.resolve(file);
        Files.createDirectories(destination.getParent());
        Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The OTLP/gRPC endpoint (SkyWalking answers OTLP/HTTP with 405). */
  public URI otlpEndpoint() {
    return URI.create("http://127.0.0.1:" + grpcPort);
  }

  @Override
  public Map<String, String> exporterProperties() {
    return Map.of(
        "otel.traces.exporter", "otlp",
        "otel.exporter.otlp.protocol", "grpc",
        "otel.exporter.otlp.endpoint", otlpEndpoint().toString());
  }

  @Override
  public URI zipkinApi() {
    return URI.create("http://127.0.0.1:" + queryPort + "/zipkin/api/v2/");
  }

  public ChildProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "SkyWalkingOap{otlp=" + otlpEndpoint() + ", query=" + zipkinApi() + "}";
  }
}
