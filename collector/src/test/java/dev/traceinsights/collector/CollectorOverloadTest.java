package dev.traceinsights.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.traceinsights.collector.config.CollectorConfig;
import dev.traceinsights.collector.config.ConfigSource;
import dev.traceinsights.collector.export.ExportDropReason;
import dev.traceinsights.collector.export.ExportQueue;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Ten times the configured memory offered while the backend is down: the collector's receivers
 * refuse with the back-off status instead of holding more, the buffer stays within its limit, and
 * once the backend is back every span taken is exported or counted as dropped. The backend is a
 * plain HTTP server in this JVM answering 503 while "down".
 */
class CollectorOverloadTest {

  private static final int MIB = 1024 * 1024;
  private static final int SPANS_PER_REQUEST = 500;

  @Test
  void tenTimesTheMemoryLimit_backOff_boundedBuffer_everySpanAccountedFor() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicLong backendSpans = new AtomicLong();
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    backend.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down.get()) {
              exchange.sendResponseHeaders(503, -1);
              return;
            }
            for (ResourceSpans resource :
                ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
              for (ScopeSpans scope : resource.getScopeSpansList()) {
                backendSpans.addAndGet(scope.getSpansCount());
              }
            }
            exchange.sendResponseHeaders(200, -1);
          }
        });
    backend.start();
    CollectorConfig config =
        CollectorConfig.from(
            ConfigSource.load(
                null,
                List.of(
                    "receivers.otlp.grpc.endpoint=127.0.0.1:0",
                    "receivers.otlp.http.endpoint=none",
                    "service.telemetry.metrics.endpoint=none",
                    "extensions.health_check.endpoint=none",
                    "processors.traceinsights.buffer.max_size_mib=1",
                    "processors.traceinsights.decision.quiet_period=50ms",
                    "processors.traceinsights.tail.enabled=false",
                    "processors.traceinsights.detection.enabled=false",
                    "exporters.otlp.endpoint=http://127.0.0.1:" + backend.getAddress().getPort(),
                    "exporters.otlp.protocol=http/protobuf",
                    "exporters.otlp.compression=none",
                    "exporters.otlp.sending_queue.queue_size=2000")));
    long accepted = 0;
    int refusals = 0;
    long maxBuffered = 0;
    try (CollectorService collector = CollectorService.start(config)) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", collector.grpcPort()).usePlaintext().build();
      try {
        TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
        long offeredBytes = 0;
        int request = 0;
        while (offeredBytes < 10L * MIB) {
          ExportTraceServiceRequest batch = request(request++);
          // The buffer's own estimate: what its limit is in.
          offeredBytes += (long) SPANS_PER_REQUEST * 400;
          try {
            stub.export(batch);
            accepted += SPANS_PER_REQUEST;
          } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            refusals++;
          }
          maxBuffered = Math.max(maxBuffered, collector.processor().buffer().bufferedBytes());
        }
      } finally {
        channel.shutdownNow();
      }
      assertThat(refusals).as("requests refused with RESOURCE_EXHAUSTED").isPositive();
      // At most one request beyond the limit: a request is refused whole when it would exceed it.
      assertThat(maxBuffered).isLessThanOrEqualTo(MIB);
      assertThat(collector.receiverCounters().acceptedSpans()).isEqualTo(accepted);

      down.set(false);
      ExportQueue queue = collector.processor().exports().get(0);
      long taken = accepted;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> collector.processor().buffer().bufferedSpans() == 0 && queue.size() == 0);
      long dropped = 0;
      for (ExportDropReason reason : ExportDropReason.values()) {
        dropped += queue.droppedSpans(reason);
      }
      assertThat(queue.exportedSpans() + dropped).isEqualTo(taken);
      assertThat(backendSpans.get()).isEqualTo(queue.exportedSpans());
      assertThat(queue.exportedSpans()).isPositive();
    } finally {
      backend.stop(0);
    }
  }

  /** {@value #SPANS_PER_REQUEST} root spans, each its own trace, so each completes on its own. */
  private static ExportTraceServiceRequest request(int n) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      long id = (long) n * SPANS_PER_REQUEST + i + 1;
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, id).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
              .setName("GET /load")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(1_000)
              .setEndTimeUnixNano(2_000));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("load"))))
                .addScopeSpans(scope))
        .build();
  }
}
