package dev.traceinsights.harness;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The real Zipkin server (in-memory storage), started from its exec jar on a free port. */
public final class ZipkinServer implements TraceBackend {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private final ChildProcess process;
  private final int port;

  private ZipkinServer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static ZipkinServer start(Path serverJar, Path workDir) {
    int port = FreePort.pick();
    // All three armeria flags: without the ip, Zipkin also listens on every interface.
    List<String> command =
        List.of(
            ChildProcess.currentJava().toString(),
            "-Xmx512m",
            "-jar",
            Artifacts.require(serverJar).toString(),
            "--armeria.ports[0].ip=127.0.0.1",
            "--armeria.ports[0].port=" + port,
            "--armeria.ports[0].protocols=http");
    ChildProcess process =
        ChildProcess.start("zipkin", command, Map.of(), workDir, workDir.resolve("zipkin.log"));
    ZipkinServer server = new ZipkinServer(process, port);
    try {
      process.awaitHttpOk(server.base().resolve("health"), STARTUP_TIMEOUT);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return server;
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** Where the agent's zipkin exporter posts spans. */
  public URI spansEndpoint() {
    return base().resolve("api/v2/spans");
  }

  /** The Zipkin web UI. */
  public URI ui() {
    return base().resolve("zipkin/");
  }

  @Override
  public Map<String, String> exporterProperties() {
    return Map.of(
        "otel.traces.exporter",
        "zipkin",
        "otel.exporter.zipkin.endpoint",
        spansEndpoint().toString());
  }

  @Override
  public URI zipkinApi() {
    return base().resolve("api/v2/");
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
    return "ZipkinServer{" + base() + "}";
  }
}
