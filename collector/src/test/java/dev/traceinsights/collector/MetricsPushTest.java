package dev.traceinsights.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.traceinsights.collector.config.CollectorConfig;
import dev.traceinsights.collector.config.ConfigSource;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The collector's own metrics pushed over OTLP/gRPC, to an OTLP metrics service in this JVM (a real
 * gRPC server built from the OTLP protos).
 */
class MetricsPushTest {

  @Test
  void ownMetricsArriveAtTheOtlpEndpoint() throws Exception {
    Set<String> names = ConcurrentHashMap.newKeySet();
    Server metrics =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new MetricsServiceGrpc.MetricsServiceImplBase() {
                  @Override
                  public void export(
                      ExportMetricsServiceRequest request,
                      StreamObserver<ExportMetricsServiceResponse> response) {
                    request
                        .getResourceMetricsList()
                        .forEach(
                            r ->
                                r.getScopeMetricsList()
                                    .forEach(
                                        s ->
                                            s.getMetricsList()
                                                .forEach(m -> names.add(m.getName()))));
                    response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    CollectorConfig config =
        CollectorConfig.from(
            ConfigSource.load(
                null,
                List.of(
                    "receivers.otlp.grpc.endpoint=127.0.0.1:0",
                    "receivers.otlp.http.endpoint=none",
                    "service.telemetry.metrics.endpoint=none",
                    "service.telemetry.metrics.otlp.endpoint=http://127.0.0.1:" + metrics.getPort(),
                    "service.telemetry.metrics.otlp.interval=200ms",
                    "extensions.health_check.endpoint=none",
                    "exporters.otlp.endpoint=http://127.0.0.1:1")));
    try (CollectorService collector = CollectorService.start(config)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  names.containsAll(
                      Set.of(
                          "traceinsights.collector.received_spans",
                          "traceinsights.collector.dropped_spans",
                          "traceinsights.collector.buffered_spans")));
      assertThat(collector.describe()).contains("metrics pushed over OTLP");
    } finally {
      metrics.shutdownNow();
    }
  }
}
