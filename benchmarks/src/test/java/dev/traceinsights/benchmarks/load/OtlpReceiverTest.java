package dev.traceinsights.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void acceptsExportsCountsThemAndSpotsTraceInsightsAttributes() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      byte[] plain =
          "\n\u0007shop...traceinsights.trace.critical_path_span_ids..."
              .getBytes(StandardCharsets.ISO_8859_1);
      byte[] without = "\n\u0007shop...http.route...".getBytes(StandardCharsets.ISO_8859_1);

      assertThat(post(receiver, plain, false)).isEqualTo(200);
      assertThat(post(receiver, without, false)).isEqualTo(200);
      assertThat(post(receiver, plain, true)).isEqualTo(200);

      assertThat(receiver.requests()).isEqualTo(3);
      assertThat(receiver.requestsWithInsights()).isEqualTo(2);
      assertThat(receiver.bytes()).isGreaterThan(plain.length + without.length);
    }
  }

  @Test
  void countsTheSpansOfEveryResourceAndScope() throws Exception {
    Span span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[8]))
            .setName("GET /orders")
            .build();
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span).addSpans(span))
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      assertThat(post(receiver, request.toByteArray(), true)).isEqualTo(200);
      assertThat(post(receiver, "\n\u0007shop.".getBytes(StandardCharsets.ISO_8859_1), false))
          .isEqualTo(200);

      assertThat(receiver.spans()).isEqualTo(4);
    }
  }

  @Test
  void findsANeedleOnlyWhenAllOfItIsThere() {
    byte[] haystack = "abcabd".getBytes(StandardCharsets.US_ASCII);
    assertThat(OtlpReceiver.contains(haystack, "abd".getBytes(StandardCharsets.US_ASCII))).isTrue();
    assertThat(OtlpReceiver.contains(haystack, "abdx".getBytes(StandardCharsets.US_ASCII)))
        .isFalse();
    assertThat(OtlpReceiver.contains(haystack, "bca".getBytes(StandardCharsets.US_ASCII))).isTrue();
  }

  private int post(OtlpReceiver receiver, byte[] body, boolean gzip) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(receiver.tracesEndpoint())
            .header("Content-Type", "application/x-protobuf");
    if (gzip) {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
        out.write(body);
      }
      body = compressed.toByteArray();
      request.header("Content-Encoding", "gzip");
    }
    return client
        .send(
            request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
