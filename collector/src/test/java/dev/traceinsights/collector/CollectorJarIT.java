package dev.traceinsights.collector;

import static dev.traceinsights.collector.TestSpans.span;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.traceinsights.collector.receiver.InvalidRequestException;
import dev.traceinsights.collector.receiver.OtlpJsonRequests;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar run as the README says, {@code java -jar trace-insights-collector.jar --set ...}:
 * its manifest and bundled libraries work outside Maven's classpath, a bad value stops it before
 * anything listens, and SIGTERM flushes what it holds. Its downstream is this project's own
 * OTLP/HTTP receiver in the test JVM, a real HTTP server.
 */
class CollectorJarIT {

  private static final Path JAR =
      Path.of(
          System.getProperty("traceinsights.collectorJar", "target/trace-insights-collector.jar"));

  @TempDir Path dir;

  @Test
  void version_fromTheManifest() throws Exception {
    Run run = run(List.of("--version"));

    assertThat(run.exitCode).isZero();
    assertThat(run.out)
        .isEqualTo(
            "trace-insights-collector " + System.getProperty("traceinsights.version") + "\n");
  }

  @Test
  void badValue_oneLineNamingTheKey_exit2_nothingListens() throws Exception {
    int port = freePort();
    Run run =
        run(
            List.of(
                "--set=receivers.otlp.grpc.endpoint=127.0.0.1:" + port,
                "--set=exporters.otlp.endpoint=http://127.0.0.1:1",
                "--set=processors.traceinsights.decision.timeout=soon"));

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err.strip())
        .isEqualTo(
            "error: processors.traceinsights.decision.timeout: 'soon' is not accepted; expected a"
                + " duration such as 200ms, 30s or 5m");
    assertThat(run.out).isEmpty();
  }

  @Test
  void portInUse_exit1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Run run =
          run(
              List.of(
                  "--set=receivers.otlp.grpc.endpoint=127.0.0.1:" + taken.getLocalPort(),
                  "--set=receivers.otlp.http.endpoint=none",
                  "--set=service.telemetry.metrics.endpoint=none",
                  "--set=extensions.health_check.endpoint=none",
                  "--set=exporters.otlp.endpoint=http://127.0.0.1:1"));

      assertThat(run.exitCode).isEqualTo(1);
      assertThat(run.err).startsWith("error: cannot listen");
    }
  }

  @Test
  void sigterm_decidesAndExportsWhatItHolds() throws Exception {
    // The downstream: a plain HTTP server that keeps the OTLP/JSON bodies as they arrive (the
    // project's own receiver would drop the traceinsights.* results this test looks for).
    List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    downstream.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            received.add(OtlpJsonRequests.parse(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
          } catch (InvalidRequestException e) {
            exchange.sendResponseHeaders(400, -1);
          }
        });
    downstream.start();
    try {
      int grpc = freePort();
      int health = freePort();
      Process collector =
          start(
              List.of(
                  "--set=receivers.otlp.grpc.endpoint=127.0.0.1:" + grpc,
                  "--set=receivers.otlp.http.endpoint=none",
                  "--set=service.telemetry.metrics.endpoint=none",
                  "--set=extensions.health_check.endpoint=127.0.0.1:" + health,
                  "--set=exporters.otlp.endpoint=http://127.0.0.1:"
                      + downstream.getAddress().getPort(),
                  "--set=exporters.otlp.protocol=http/json",
                  "--set=exporters.otlp.compression=none",
                  // Decided only by the shutdown: neither quiet period nor timeout comes first.
                  "--set=processors.traceinsights.decision.quiet_period=10m",
                  "--set=processors.traceinsights.decision.timeout=10m"));
      try {
        awaitHealthy(health);
        OtlpGrpcSpanExporter exporter =
            OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpc).build();
        List<SpanData> trace =
            List.of(
                span(1, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 100),
                span(1, 2, 1, "frontend", "GET", SpanKind.CLIENT, 10, 90));
        assertThat(exporter.export(trace).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        exporter.shutdown();
        assertThat(received).isEmpty(); // held, not decided

        collector.destroy(); // SIGTERM
        assertThat(collector.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        collector.destroyForcibly();
      }
    } finally {
      downstream.stop(0);
    }
    List<Span> spans = new ArrayList<>();
    received.forEach(
        request ->
            request
                .getResourceSpansList()
                .forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList()))));
    assertThat(spans).hasSize(2);
    Span root = spans.stream().filter(s -> s.getParentSpanId().isEmpty()).findFirst().orElseThrow();
    assertThat(root.getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("traceinsights.trace.incomplete");
              assertThat(kv.getValue().getStringValue()).isEqualTo("shutdown");
            });
  }

  private static void awaitHealthy(int port) {
    HttpClient client = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                client
                        .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Process start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve("out.log").toFile())
        .redirectError(dir.resolve("err.log").toFile())
        .start();
  }

  private Run run(List<String> args) throws Exception {
    Process process = start(args);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        process.exitValue(),
        Files.readString(dir.resolve("out.log"), UTF_8),
        Files.readString(dir.resolve("err.log"), UTF_8));
  }

  private record Run(int exitCode, String out, String err) {}
}
