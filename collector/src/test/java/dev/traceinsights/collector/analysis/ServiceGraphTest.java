package dev.traceinsights.collector.analysis;

import static dev.traceinsights.collector.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceGraphTest {

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters =
      SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final ServiceGraph graph = new ServiceGraph(meters.get("test"));

  /** frontend → backend (failing when {@code error}), backend → its database. */
  private static List<SpanData> trace(int trace, boolean error) {
    return List.of(
        span(trace, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 100),
        span(trace, 2, 1, "frontend", "GET", SpanKind.CLIENT, 10, 90),
        span(trace, 3, 2, "backend", "GET /x", SpanKind.SERVER, 12, 88, error, Attributes.empty()),
        span(
            trace,
            4,
            3,
            "backend",
            "SELECT",
            SpanKind.CLIENT,
            20,
            30,
            false,
            Attributes.of(AttributeKey.stringKey("db.system.name"), "h2")),
        // a call inside one service is no edge
        span(trace, 5, 1, "frontend", "local", SpanKind.INTERNAL, 1, 2));
  }

  @Test
  void edges_countCallsAndFailures_perClientAndServer() {
    graph.record(trace(1, false));
    graph.record(trace(2, true));
    graph.record(trace(3, false));

    assertThat(graph.edges())
        .containsExactlyInAnyOrder(
            new ServiceGraph.Edge("frontend", "backend", "", 3, 1),
            new ServiceGraph.Edge("backend", "h2", "database", 3, 0));
  }

  @Test
  void metrics_carryTheServicegraphConnectorsNamesAndLabels() {
    graph.record(trace(1, true));

    Collection<MetricData> metrics = reader.collectAllMetrics();

    MetricData requests = metric(metrics, "traces_service_graph_request_total");
    LongPointData point =
        requests.getLongSumData().getPoints().stream()
            .filter(p -> "backend".equals(p.getAttributes().get(AttributeKey.stringKey("server"))))
            .findFirst()
            .orElseThrow();
    assertThat(point.getValue()).isEqualTo(1);
    assertThat(point.getAttributes().get(AttributeKey.stringKey("client"))).isEqualTo("frontend");
    assertThat(point.getAttributes().get(AttributeKey.stringKey("connection_type"))).isEmpty();
    assertThat(
            metric(metrics, "traces_service_graph_request_failed_total")
                .getLongSumData()
                .getPoints())
        .hasSize(1);
    assertThat(
            metric(metrics, "traces_service_graph_request_server_seconds")
                .getHistogramData()
                .getPoints())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getSum()).isEqualTo(0.076, org.assertj.core.data.Offset.offset(1e-9)));
    assertThat(metric(metrics, "traces_service_graph_request_client_seconds").getUnit())
        .isEqualTo("s");
  }

  @Test
  void producerToConsumer_isAMessagingEdge_peerServiceAVirtualNode() {
    graph.record(
        List.of(
            span(1, 1, 0, "orders", "publish", SpanKind.PRODUCER, 0, 5),
            span(1, 2, 1, "billing", "process", SpanKind.CONSUMER, 50, 60),
            span(
                1,
                3,
                2,
                "billing",
                "POST",
                SpanKind.CLIENT,
                51,
                59,
                false,
                Attributes.of(AttributeKey.stringKey("peer.service"), "payments-provider"))));

    assertThat(graph.edges())
        .containsExactlyInAnyOrder(
            new ServiceGraph.Edge("orders", "billing", "messaging_system", 1, 0),
            new ServiceGraph.Edge("billing", "payments-provider", "virtual_node", 1, 0));
  }

  private static MetricData metric(Collection<MetricData> metrics, String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }
}
