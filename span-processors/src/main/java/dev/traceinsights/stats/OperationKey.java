package dev.traceinsights.stats;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * What statistics are kept per: the service that recorded a span, the span's name and its kind.
 *
 * @param serviceName the resource's {@code service.name}, {@code unknown_service} when absent
 */
public record OperationKey(String serviceName, String spanName, SpanKind kind) {

  static final String UNKNOWN_SERVICE = "unknown_service";
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  public OperationKey {
    requireNonNull(serviceName, "serviceName");
    requireNonNull(spanName, "spanName");
    requireNonNull(kind, "kind");
  }

  /** The operation {@code span} belongs to. */
  public static OperationKey of(SpanData span) {
    return new OperationKey(serviceName(span.getResource()), span.getName(), span.getKind());
  }

  static String serviceName(Resource resource) {
    String name = resource.getAttribute(SERVICE_NAME);
    return name == null ? UNKNOWN_SERVICE : name;
  }
}
