package dev.traceinsights.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK {@link HttpServer} with a small worker pool. The javaagent instruments this server, so
 * every request becomes a SERVER span without any code here knowing about tracing.
 */
public final class HttpService {

  private final HttpServer server;
  private final ExecutorService workers;

  private HttpService(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /** A handler that answers with a status and a plain-text body. */
  @FunctionalInterface
  public interface Endpoint {
    Response handle(HttpExchange exchange) throws Exception;
  }

  /** What an endpoint answers. */
  public record Response(int status, String body) {
    public static Response ok(String body) {
      return new Response(200, body);
    }
  }

  /** Builds and starts a server on {@code host:port} (port 0 picks a free one). */
  public static final class Builder {
    private final HttpServer server;

    private Builder(String host, int port) throws IOException {
      // Without TCP_NODELAY the JDK server's small responses wait ~40 ms for the client's delayed
      // ACK (Nagle), which would show up as latency in every trace. The JDK reads this property
      // once, when the first server is created; an explicit -D setting still wins.
      if (System.getProperty("sun.net.httpserver.nodelay") == null) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
      }
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 50);
      route("/health", exchange -> Response.ok("ok"));
    }

    public Builder route(String path, Endpoint endpoint) {
      server.createContext(path, exchange -> respond(exchange, endpoint));
      return this;
    }

    public HttpService start() {
      ExecutorService workers = Executors.newFixedThreadPool(4);
      server.setExecutor(workers);
      server.start();
      return new HttpService(server, workers);
    }
  }

  public static Builder builder(String host, int port) throws IOException {
    return new Builder(host, port);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void stop() {
    server.stop(0);
    workers.shutdownNow();
  }

  private static void respond(HttpExchange exchange, Endpoint endpoint) throws IOException {
    Response response;
    try {
      response = endpoint.handle(exchange);
    } catch (Exception e) {
      // The failure has been recorded on the spans it passed through; the caller gets a 500.
      response = new Response(500, e.getClass().getName() + ": " + e.getMessage());
    }
    byte[] body = (response.body() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
