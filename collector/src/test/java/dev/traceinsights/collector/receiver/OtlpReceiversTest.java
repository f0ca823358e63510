package dev.traceinsights.collector.receiver;

import static dev.traceinsights.collector.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.traceinsights.collector.config.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both receivers, with the SDK's own OTLP exporters (gRPC and HTTP/protobuf) and its OTLP-JSON
 * encoder as the senders, and a raw gRPC stub and HTTP client for what exporters never send.
 */
class OtlpReceiversTest {

  private static final HostPort ANY_PORT = new HostPort("127.0.0.1", 0);
  private static final int MAX_BODY = 64 * 1024;

  private final List<SpanData> received = new CopyOnWriteArrayList<>();
  private volatile boolean refuse;
  private final SpanIntake intake =
      spans -> {
        if (refuse) {
          return Admission.refused(Duration.ofSeconds(3), "buffer full");
        }
        received.addAll(spans);
        return Admission.accept();
      };
  private final ReceiverCounters counters = new ReceiverCounters();
  private OtlpGrpcReceiver grpc;
  private OtlpHttpReceiver http;
  private final HttpClient client = HttpClient.newHttpClient();

  private final List<SpanData> trace =
      List.of(
          span(
              7,
              1,
              0,
              "frontend",
              "GET /shop",
              SpanKind.SERVER,
              0,
              100,
              false,
              Attributes.of(
                  AttributeKey.stringKey("http.route"),
                  "/shop",
                  AttributeKey.longKey("http.response.status_code"),
                  200L,
                  // a local result of the extension: replaced by the whole trace's
                  AttributeKey.booleanKey("traceinsights.span.bottleneck"),
                  true,
                  // a measurement: kept
                  AttributeKey.longKey("traceinsights.span.allocated_bytes"),
                  2048L)),
          span(7, 2, 1, "backend", "SELECT", SpanKind.CLIENT, 10, 90, true, Attributes.empty()));

  @BeforeEach
  void start() throws IOException {
    grpc = OtlpGrpcReceiver.start(ANY_PORT, MAX_BODY, intake, counters);
    http = OtlpHttpReceiver.start(ANY_PORT, MAX_BODY, intake, counters);
  }

  @AfterEach
  void stop() {
    grpc.close();
    http.close();
  }

  @Test
  void grpc_fromTheSdkExporter_everyFieldArrives_localResultsLeftOut() {
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + grpc.port())
            .setCompression("gzip")
            .build();
    try {
      assertThat(exporter.export(trace).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      exporter.shutdown();
    }

    assertReceivedAsSent();
  }

  @Test
  void httpProtobuf_fromTheSdkExporter() {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + http.port() + "/v1/traces")
            .setCompression("gzip")
            .build();
    try {
      assertThat(exporter.export(trace).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      exporter.shutdown();
    }

    assertReceivedAsSent();
  }

  @Test
  void httpJson_fromTheSdkEncoder_plainAndGzip() throws Exception {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(trace).writeJsonTo(json);

    HttpResponse<String> plain = post("application/json", null, json.toByteArray());
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Type")).hasValue("application/json");
    assertReceivedAsSent();

    received.clear();
    HttpResponse<String> gzip = post("application/json", "gzip", gzip(json.toByteArray()));
    assertThat(gzip.statusCode()).isEqualTo(200);
    assertReceivedAsSent();
  }

  private void assertReceivedAsSent() {
    assertThat(received).hasSize(2);
    // The encoder groups spans by resource in no fixed order.
    SpanData root = byId(trace.get(0).getSpanId());
    assertThat(root.getTraceId()).isEqualTo(trace.get(0).getTraceId());
    assertThat(root.getSpanId()).isEqualTo(trace.get(0).getSpanId());
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    assertThat(root.getName()).isEqualTo("GET /shop");
    assertThat(root.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(root.getStartEpochNanos()).isEqualTo(trace.get(0).getStartEpochNanos());
    assertThat(root.getEndEpochNanos()).isEqualTo(trace.get(0).getEndEpochNanos());
    assertThat(root.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("frontend");
    assertThat(root.getAttributes().asMap())
        .containsOnlyKeys(
            AttributeKey.stringKey("http.route"),
            AttributeKey.longKey("http.response.status_code"),
            AttributeKey.longKey("traceinsights.span.allocated_bytes"));
    SpanData child = byId(trace.get(1).getSpanId());
    assertThat(child.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(child.getStatus().getStatusCode())
        .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    assertThat(child.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("backend");
    assertThat(counters.acceptedSpans()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void grpc_memoryLimitReached_resourceExhaustedWithRetryInfo() {
    refuse = true;
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
    try {
      TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
      assertThatThrownBy(() -> stub.export(request(validSpan())))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                com.google.rpc.Status status = StatusProto.fromThrowable(e);
                assertThat(status.getDetailsList())
                    .singleElement()
                    .satisfies(
                        detail -> {
                          assertThat(detail.is(RetryInfo.class)).isTrue();
                          assertThat(unpackRetry(detail).getRetryDelay().getSeconds()).isEqualTo(3);
                        });
              });
    } finally {
      channel.shutdownNow();
    }
    assertThat(counters.refusedSpans()).isEqualTo(1);
    assertThat(received).isEmpty();
  }

  @Test
  void grpc_invalidSpanIds_partialSuccess() {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
    try {
      ExportTraceServiceResponse response =
          TraceServiceGrpc.newBlockingStub(channel)
              .export(
                  request(
                      validSpan(),
                      validSpan().toBuilder()
                          .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]))
                          .build()));

      assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
      assertThat(response.getPartialSuccess().getErrorMessage()).contains("invalid span id");
    } finally {
      channel.shutdownNow();
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void http_memoryLimitReached_503WithRetryAfter() throws Exception {
    refuse = true;

    HttpResponse<String> response =
        post("application/x-protobuf", null, request(validSpan()).toByteArray());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(received).isEmpty();
  }

  @Test
  void http_whatTheSpecificationRejects() throws Exception {
    byte[] valid = request(validSpan()).toByteArray();

    assertThat(post("text/plain", null, valid).statusCode()).isEqualTo(415);
    assertThat(post("application/x-protobuf", "br", valid).statusCode()).isEqualTo(415);
    assertThat(post("application/x-protobuf", null, new byte[] {(byte) 0xff, 1, 2}).statusCode())
        .isEqualTo(400);
    HttpResponse<String> notJson =
        post("application/json", null, "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not JSON").doesNotContain("at com.");
    assertThat(post("application/x-protobuf", "gzip", valid).statusCode()).isEqualTo(400);
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(uri("/v1/traces")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(counters.malformedRequests()).isEqualTo(3);
    assertThat(received).isEmpty();
  }

  @Test
  void http_bodyAboveTheLimit_413_evenWhenItIsSmallCompressed() throws Exception {
    // A gzip bomb in miniature: 1 MiB of zeros is 1 KiB compressed, over the 64 KiB limit unpacked.
    byte[] zeros = new byte[1024 * 1024];

    HttpResponse<String> response = post("application/x-protobuf", "gzip", gzip(zeros));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(received).isEmpty();
  }

  private SpanData byId(String spanId) {
    return received.stream().filter(s -> s.getSpanId().equals(spanId)).findFirst().orElseThrow();
  }

  private HttpResponse<String> post(String type, String encoding, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/v1/traces"))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.port() + path);
  }

  private static Span validSpan() {
    return Span.newBuilder()
        .setTraceId(
            com.google.protobuf.ByteString.copyFrom(
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
        .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName("GET /x")
        .setStartTimeUnixNano(1)
        .setEndTimeUnixNano(2)
        .build();
  }

  private static ExportTraceServiceRequest request(Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
        .build();
  }

  private static RetryInfo unpackRetry(Any detail) {
    try {
      return detail.unpack(RetryInfo.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }
}
