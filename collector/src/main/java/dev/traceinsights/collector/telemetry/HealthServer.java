package dev.traceinsights.collector.telemetry;

import com.sun.net.httpserver.HttpServer;
import dev.traceinsights.collector.config.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The health endpoint, as the OpenTelemetry Collector's {@code health_check} extension serves it:
 * {@code GET /} (and {@code /health}) answers 200 while the collector runs and 503 once it is
 * shutting down.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(HostPort endpoint, BooleanSupplier healthy) throws IOException {
    HttpServer server = HttpServer.create(endpoint.socketAddress(), 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            boolean ok = healthy.getAsBoolean();
            byte[] body =
                ("{\"status\":\"" + (ok ? "Server available" : "Server not available") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
    return new HealthServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
