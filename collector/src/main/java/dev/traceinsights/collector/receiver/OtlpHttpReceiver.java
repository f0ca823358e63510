package dev.traceinsights.collector.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.traceinsights.collector.config.HostPort;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The OTLP/HTTP trace receiver: {@code POST /v1/traces} with a protobuf ({@code
 * application/x-protobuf}) or JSON ({@code application/json}) body, optionally gzip-encoded. The
 * answer is in the request's encoding and follows the OTLP specification: 200 with partial success,
 * 400 for a body that does not decode, 413 above the size limit (after decompression too, so that a
 * small gzip bomb is refused), 415 for other media types, and 503 with {@code Retry-After} while
 * memory limits are reached.
 */
public final class OtlpHttpReceiver implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(OtlpHttpReceiver.class.getName());
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;

  private OtlpHttpReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static OtlpHttpReceiver start(
      HostPort endpoint, int maxBodyBytes, SpanIntake intake, ReceiverCounters counters)
      throws IOException {
    HttpServer server = HttpServer.create(endpoint.socketAddress(), 128);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "traceinsights-otlp-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/v1/traces", new Handler(maxBodyBytes, intake, counters)::handle);
    server.start();
    return new OtlpHttpReceiver(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Handler(int maxBodyBytes, SpanIntake intake, ReceiverCounters counters) {

    void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        respond(exchange);
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "Trace Insights collector failed on an OTLP/HTTP request", e);
        send(exchange, 500, status(Code.INTERNAL_VALUE, "internal error"), false);
      }
    }

    private void respond(HttpExchange exchange) throws IOException {
      if (!exchange.getRequestURI().getPath().equals("/v1/traces")) {
        sendText(exchange, 404, "not found; traces are received on /v1/traces");
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        sendText(exchange, 405, "method not allowed; POST an OTLP trace request");
        return;
      }
      String type = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      boolean json = type.equals(JSON);
      if (!json && !type.equals(PROTOBUF)) {
        sendText(exchange, 415, "unsupported media type; send " + PROTOBUF + " or " + JSON);
        return;
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
      if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity")) {
        sendText(exchange, 415, "unsupported content encoding; send gzip or identity");
        return;
      }
      byte[] body;
      try {
        body = readBody(exchange.getRequestBody(), gzip);
      } catch (BodyTooLargeException e) {
        counters.malformed();
        send(
            exchange,
            413,
            status(Code.INVALID_ARGUMENT_VALUE, "the body exceeds " + maxBodyBytes + " bytes"),
            json);
        return;
      } catch (ZipException e) {
        counters.malformed();
        send(exchange, 400, status(Code.INVALID_ARGUMENT_VALUE, "not valid gzip"), json);
        return;
      }
      ExportTraceServiceRequest request;
      try {
        request = json ? OtlpJsonRequests.parse(body) : ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidRequestException e) {
        counters.malformed();
        send(exchange, 400, status(Code.INVALID_ARGUMENT_VALUE, e.getMessage()), json);
        return;
      } catch (InvalidProtocolBufferException e) {
        counters.malformed();
        send(
            exchange,
            400,
            status(Code.INVALID_ARGUMENT_VALUE, "not an OTLP trace request in protobuf"),
            json);
        return;
      }
      ReceivedSpans received = OtlpProtoSpans.decode(request);
      Admission admission = intake.offer(received.spans());
      if (!admission.accepted()) {
        counters.refused(received.spans().size());
        long seconds = Math.max(1, admission.retryAfter().toSeconds());
        exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
        send(exchange, 503, status(Code.RESOURCE_EXHAUSTED_VALUE, admission.reason()), json);
        return;
      }
      send(exchange, 200, counters.answerAccepted(received), json);
    }

    private byte[] readBody(InputStream raw, boolean gzip) throws IOException {
      try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = in.read(chunk)) >= 0) {
          if (out.size() + read > maxBodyBytes) {
            throw new BodyTooLargeException();
          }
          out.write(chunk, 0, read);
        }
        return out.toByteArray();
      }
    }
  }

  private static com.google.rpc.Status status(int code, String message) {
    return com.google.rpc.Status.newBuilder().setCode(code).setMessage(message).build();
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static void send(HttpExchange exchange, int code, Message body, boolean json)
      throws IOException {
    byte[] bytes =
        json
            ? JsonFormat.printer().print(body).getBytes(StandardCharsets.UTF_8)
            : body.toByteArray();
    exchange.getResponseHeaders().set("Content-Type", json ? JSON : PROTOBUF);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void sendText(HttpExchange exchange, int code, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
  }
}
