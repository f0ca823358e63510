package dev.traceinsights.collector.analysis;

import dev.traceinsights.internal.SpanIdIndex;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.annotation.Nullable;

/**
 * The calls between services, from whole traces: an edge from the service of a client (or producer)
 * span to the service of its server (or consumer) child. Metric names and attributes are those of
 * the OpenTelemetry Collector's {@code servicegraph} connector, so that dashboards built for it
 * work: {@code traces_service_graph_request_total}, {@code
 * traces_service_graph_request_failed_total}, {@code traces_service_graph_request_server_seconds}
 * and {@code traces_service_graph_request_client_seconds}, with {@code client}, {@code server} and
 * {@code connection_type}.
 *
 * <p>Where ours differs: the connector pairs client and server spans in a store of its own and
 * expires unpaired ones after a wait; here both halves are in the same whole trace, so there is
 * nothing to expire and no pairing is lost to the wait. A client span with no server child (an
 * uninstrumented peer) becomes an edge to a virtual node named by {@code peer.service}, else the
 * database ({@code db.system.name}, {@code db.system}, connection type {@code database}), else
 * {@code server.address}, as the connector does. An edge fails when either span has an error
 * status. Edges are bounded ({@link #MAX_EDGES}); calls on edges beyond it are counted apart.
 */
public final class ServiceGraph {

  static final int MAX_EDGES = 1000;

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
  private static final AttributeKey<String> DB_SYSTEM_NAME =
      AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client");
  private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server");
  private static final AttributeKey<String> CONNECTION_TYPE =
      AttributeKey.stringKey("connection_type");

  private final Map<EdgeKey, EdgeCounts> edges = new ConcurrentHashMap<>();
  private final LongAdder overflowCalls = new LongAdder();
  @Nullable private final LongCounter requests;
  @Nullable private final LongCounter failed;
  @Nullable private final DoubleHistogram serverSeconds;
  @Nullable private final DoubleHistogram clientSeconds;

  /**
   * @param meter where the edges' metrics go, or null for the in-memory table only
   */
  public ServiceGraph(@Nullable Meter meter) {
    if (meter == null) {
      requests = null;
      failed = null;
      serverSeconds = null;
      clientSeconds = null;
    } else {
      requests =
          meter
              .counterBuilder("traces_service_graph_request_total")
              .setDescription("Requests between two services, from whole traces")
              .build();
      failed =
          meter
              .counterBuilder("traces_service_graph_request_failed_total")
              .setDescription("Requests between two services where either side failed")
              .build();
      serverSeconds =
          meter
              .histogramBuilder("traces_service_graph_request_server_seconds")
              .setUnit("s")
              .setDescription("Duration of the server side of requests between two services")
              .build();
      clientSeconds =
          meter
              .histogramBuilder("traces_service_graph_request_client_seconds")
              .setUnit("s")
              .setDescription("Duration of the client side of requests between two services")
              .build();
    }
  }

  /** Records the edges of one whole trace. */
  public void record(List<SpanData> spans) {
    SpanIdIndex byId = SpanIdIndex.of(spans);
    boolean[] clientWithServer = new boolean[spans.size()];
    for (SpanData span : spans) {
      SpanKind kind = span.getKind();
      if (kind != SpanKind.SERVER && kind != SpanKind.CONSUMER) {
        continue;
      }
      int parentIndex =
          span.getParentSpanContext().isValid() ? byId.get(span.getParentSpanId()) : -1;
      SpanData parent = parentIndex < 0 ? null : spans.get(parentIndex);
      if (parent == null
          || (parent.getKind() != SpanKind.CLIENT && parent.getKind() != SpanKind.PRODUCER)) {
        continue;
      }
      clientWithServer[parentIndex] = true;
      String client = service(parent);
      String server = service(span);
      if (client.equals(server)) {
        continue;
      }
      String type = parent.getKind() == SpanKind.PRODUCER ? "messaging_system" : "";
      count(new EdgeKey(client, server, type), parent, span);
    }
    for (int i = 0; i < spans.size(); i++) {
      SpanData span = spans.get(i);
      if (span.getKind() != SpanKind.CLIENT || clientWithServer[i]) {
        continue;
      }
      Attributes attributes = span.getAttributes();
      String peer = attributes.get(PEER_SERVICE);
      String type = "virtual_node";
      if (peer == null) {
        peer = attributes.get(DB_SYSTEM_NAME);
        if (peer == null) {
          peer = attributes.get(DB_SYSTEM);
        }
        type = "database";
      }
      if (peer == null) {
        peer = attributes.get(SERVER_ADDRESS);
        type = "virtual_node";
      }
      if (peer != null) {
        count(new EdgeKey(service(span), peer, type), span, null);
      }
    }
  }

  private void count(EdgeKey key, SpanData client, @Nullable SpanData server) {
    EdgeCounts counts = edges.get(key);
    if (counts == null) {
      if (edges.size() >= MAX_EDGES) {
        overflowCalls.increment();
        return;
      }
      counts = edges.computeIfAbsent(key, k -> new EdgeCounts(k.attributes()));
    }
    boolean error =
        client.getStatus().getStatusCode() == StatusCode.ERROR
            || (server != null && server.getStatus().getStatusCode() == StatusCode.ERROR);
    counts.calls.increment();
    if (error) {
      counts.failed.increment();
    }
    if (requests != null) {
      Attributes attributes = counts.attributes;
      requests.add(1, attributes);
      if (error) {
        failed.add(1, attributes);
      }
      clientSeconds.record(seconds(client), attributes);
      if (server != null) {
        serverSeconds.record(seconds(server), attributes);
      }
    }
  }

  /** The edges seen so far, with their call and failure counts. */
  public List<Edge> edges() {
    List<Edge> list = new ArrayList<>(edges.size());
    edges.forEach(
        (key, counts) ->
            list.add(
                new Edge(
                    key.client(),
                    key.server(),
                    key.connectionType(),
                    counts.calls.sum(),
                    counts.failed.sum())));
    return list;
  }

  /** Calls on edges beyond {@link #MAX_EDGES}, which are not tracked one by one. */
  public long overflowCalls() {
    return overflowCalls.sum();
  }

  private static double seconds(SpanData span) {
    return (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e9;
  }

  private static String service(SpanData span) {
    String name = span.getResource().getAttribute(SERVICE_NAME);
    return name == null ? "unknown_service" : name;
  }

  /** One edge of the graph. */
  public record Edge(
      String client, String server, String connectionType, long calls, long failed) {}

  private record EdgeKey(String client, String server, String connectionType) {
    Attributes attributes() {
      return Attributes.of(CLIENT, client, SERVER, server, CONNECTION_TYPE, connectionType);
    }
  }

  private static final class EdgeCounts {
    final LongAdder calls = new LongAdder();
    final LongAdder failed = new LongAdder();

    /** The metrics' attributes, made once per edge rather than once per call. */
    final Attributes attributes;

    EdgeCounts(Attributes attributes) {
      this.attributes = attributes;
    }
  }
}
