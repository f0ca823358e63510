package dev.traceinsights.collector.export;

import dev.traceinsights.collector.config.ExporterConfig;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Builds the SDK exporter for one configured exporter. The SDK's own retries are off: the {@link
 * ExportQueue} retries, so that every attempt and every drop is counted in one place.
 */
public final class SpanExporters {

  private SpanExporters() {}

  public static SpanExporter create(ExporterConfig config) {
    String endpoint = config.endpoint().toString();
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
            tracesUrl(endpoint), config.timeout(), config.gzip(), config.headers());
      case "http/protobuf":
        {
          OtlpHttpSpanExporterBuilder builder =
              OtlpHttpSpanExporter.builder()
                  .setEndpoint(tracesUrl(endpoint).toString())
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
   * OTLP/HTTP endpoints, as the SDK's {@code otel.exporter.otlp.endpoint}: a base URL gets {@code
   * /v1/traces} appended, a URL that already names a path is taken as is.
   */
  static java.net.URI tracesUrl(String endpoint) {
    java.net.URI uri = java.net.URI.create(endpoint);
    String path = uri.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return uri.resolve("/v1/traces");
    }
    return uri;
  }
}
