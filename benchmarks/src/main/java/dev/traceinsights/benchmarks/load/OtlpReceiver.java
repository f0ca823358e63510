package dev.traceinsights.benchmarks.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * The cheapest real destination for the agent's OTLP/HTTP exporter: accepts {@code POST
 * /v1/traces}, reads the body, answers 200 with an empty {@code ExportTraceServiceResponse} and
 * keeps counts. The exporter does all its work (serialising, compressing if asked, sending), while
 * nothing on this side competes much for the machine's two cores. It also looks for Trace Insights'
 * attribute names in the payloads, which shows whether the extension was at work, and counts the
 * spans: bytes per span do not depend on where the batches fall against a phase's edges, bytes per
 * request do (a batch of 512 spans is about 70 of the demo's requests).
 */
final class OtlpReceiver implements AutoCloseable {

  // The trace summary on each analysed local root, at every attribute level. (Not a bare
  // "traceinsights.": the demo's own classes, in code.namespace, start with dev.traceinsights.)
  private static final byte[] INSIGHT_KEY =
      "traceinsights.trace.".getBytes(StandardCharsets.US_ASCII);

  private final HttpServer server;
  private final ExecutorService executor;
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder requestsWithInsights = new LongAdder();
  private final LongAdder spans = new LongAdder();

  private OtlpReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static OtlpReceiver start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    OtlpReceiver receiver = new OtlpReceiver(server, executor);
    server.createContext("/v1/traces", receiver::handle);
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  /** The traces endpoint, for {@code otel.exporter.otlp.traces.endpoint}. */
  URI tracesEndpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    bytes.add(body.length);
    requests.increment();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    byte[] plain = "gzip".equalsIgnoreCase(encoding) ? gunzip(body) : body;
    if (contains(plain, INSIGHT_KEY)) {
      requestsWithInsights.increment();
    }
    spans.add(spanCount(plain));
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, -1); // an empty message is a valid (empty) response
    exchange.close();
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The spans in an OTLP/protobuf export request; 0 for one that does not parse. */
  static long spanCount(byte[] request) {
    ExportTraceServiceRequest parsed;
    try {
      parsed = ExportTraceServiceRequest.parseFrom(request);
    } catch (IOException e) {
      return 0;
    }
    long count = 0;
    for (ResourceSpans resource : parsed.getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        count += scope.getSpansCount();
      }
    }
    return count;
  }

  /** Spans received so far. */
  long spans() {
    return spans.sum();
  }

  /** Export requests received so far. */
  long requests() {
    return requests.sum();
  }

  /** Bytes of export requests received so far (as sent, i.e. compressed if compressed). */
  long bytes() {
    return bytes.sum();
  }

  /** Export requests that carried Trace Insights attributes. */
  long requestsWithInsights() {
    return requestsWithInsights.sum();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "OtlpReceiver{" + tracesEndpoint() + ", requests=" + requests() + '}';
  }
}
