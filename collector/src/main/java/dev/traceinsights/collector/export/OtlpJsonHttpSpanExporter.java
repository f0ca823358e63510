package dev.traceinsights.collector.export;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP/HTTP with JSON bodies, which the SDK's own exporters do not offer: the SDK's OTLP-JSON
 * encoder ({@code TraceRequestMarshaler}, hex ids as the specification asks) over the JDK's HTTP
 * client. Retries are the {@link ExportQueue}'s; this exporter makes one attempt per call.
 */
public final class OtlpJsonHttpSpanExporter implements SpanExporter {

  private static final Logger logger = Logger.getLogger(OtlpJsonHttpSpanExporter.class.getName());

  private final URI endpoint;
  private final Duration timeout;
  private final boolean gzip;
  private final Map<String, String> headers;
  private final HttpClient client;

  public OtlpJsonHttpSpanExporter(
      URI endpoint, Duration timeout, boolean gzip, Map<String, String> headers) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.gzip = gzip;
    this.headers = Map.copyOf(headers);
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    byte[] body;
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes) {
        TraceRequestMarshaler.create(spans).writeJsonTo(out);
      }
      body = bytes.toByteArray();
    } catch (IOException e) {
      return CompletableResultCode.ofFailure();
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    headers.forEach(request::header);
    CompletableResultCode result = new CompletableResultCode();
    client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() / 100 == 2) {
                result.succeed();
              } else {
                logger.log(
                    Level.FINE,
                    "OTLP/JSON export to "
                        + endpoint
                        + " failed: "
                        + (error != null ? error : "HTTP " + response.statusCode()));
                result.fail();
              }
            });
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "OtlpJsonHttpSpanExporter{endpoint=" + endpoint + "}";
  }
}
