package dev.traceinsights.collector.export;

import dev.traceinsights.collector.config.ExporterConfig;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Builds the SDK exporter for one configured exporter. The SDK's own retries are off: the {@link
 * ExportQueue} retries, so that every attempt and every drop is counted in one place.
 */
public final class SpanExporters {

  private SpanExporters() {}

  public static SpanExporter create(ExporterConfig config) {
    String endpoint = config.endpoint().toString();
    URI tracesUrl = signalUrl(config.endpoint(), "/v1/traces");
    if (config.name().equals("zipkin")) {
      return ZipkinSpanExporter.builder()
          .setSender(
              URLConnectionSender.newBuilder()
                  .endpoint(endpoint)
                  .compressionEnabled(config.gzip())
                  .connectTimeout((int) config.timeout().toMillis())
                  .readTimeout((int) config.timeout().toMillis())
                  .build())
          .build();
    }
    switch (config.protocol()) {
      case "http/json":
        return new OtlpJsonHttpSpanExporter(
            tracesUrl, config.timeout(), config.gzip(), config.headers());
      case "http/protobuf":
        {
          OtlpHttpSpanExporterBuilder builder =
              OtlpHttpSpanExporter.builder()
                  .setEndpoint(tracesUrl.toString())
                  .setTimeout(config.timeout())
                  .setCompression(config.gzip() ? "gzip" : "none")
                  .setRetryPolicy(null);
          config.headers().forEach(builder::addHeader);
          return builder.build();
        }
      default:
        {
          OtlpGrpcSpanExporterBuilder builder =
              OtlpGrpcSpanExporter.builder()
                  .setEndpoint(endpoint)
                  .setTimeout(config.timeout())
                  .setCompression(config.gzip() ? "gzip" : "none")
                  .setRetryPolicy(null);
          config.headers().forEach(builder::addHeader);
          return builder.build();
        }
    }
  }

  /**
   * OTLP/HTTP endpoints, as the SDK's {@code otel.exporter.otlp.endpoint}: a base URL gets the
   * signal's path ({@code /v1/traces}, {@code /v1/metrics}) appended, a URL that already names a
   * path is taken as is.
   */
  public static URI signalUrl(URI endpoint, String signalPath) {
    String path = endpoint.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return endpoint.resolve(signalPath);
    }
    return endpoint;
  }
}
