package dev.traceinsights.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One span as the Zipkin v2 API returns it (Zipkin server, and SkyWalking's Zipkin-format query
 * API). Every attribute arrives as a string tag: booleans and numbers in their {@code toString}
 * form, arrays joined with commas by both the agent's zipkin exporter and SkyWalking's OTLP
 * conversion (JSON arrays, which the OpenTelemetry specification suggests, are read too).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ZipkinSpan(
    String traceId,
    String id,
    String parentId,
    String name,
    String kind,
    long timestamp,
    long duration,
    Endpoint localEndpoint,
    Map<String, String> tags,
    List<Annotation> annotations) {

  // The zipkin exporter writes event attributes as JSON but leaves control characters (the
  // newlines and tabs of a stack trace) unescaped.
  private static final ObjectMapper json =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

  public ZipkinSpan {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    annotations = annotations == null ? List.of() : List.copyOf(annotations);
  }

  /** The service that recorded the span. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Endpoint(String serviceName) {}

  /** A timestamped annotation: how span events arrive in Zipkin format. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Annotation(long timestamp, String value) {}

  /** A span event decoded from an annotation. */
  public record Event(String name, Map<String, Object> attributes) {}

  public String serviceName() {
    return localEndpoint == null ? "" : localEndpoint.serviceName();
  }

  public Optional<String> tag(String key) {
    return Optional.ofNullable(tags.get(key));
  }

  public Optional<Long> longTag(String key) {
    return tag(key).map(Long::parseLong);
  }

  /** True only if the tag is present and says {@code true}. */
  public boolean booleanTag(String key) {
    return tag(key).map(Boolean::parseBoolean).orElse(false);
  }

  /** An array attribute's elements (empty if absent). */
  public List<String> listTag(String key) {
    return tag(key).map(ZipkinSpan::parseList).orElse(List.of());
  }

  static List<String> parseList(String value) {
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      return List.of();
    }
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      try {
        return json.readValue(trimmed, new TypeReference<List<String>>() {});
      } catch (JsonProcessingException e) {
        // Not JSON after all: fall through to the comma-separated form.
      }
    }
    return Arrays.stream(trimmed.split(",")).map(String::strip).toList();
  }

  /** The SQL text the JDBC instrumentation recorded (old or new semantic conventions). */
  public Optional<String> dbStatement() {
    return tag("db.statement").or(() -> tag("db.query.text"));
  }

  /** Whether the span has error status, in either backend's spelling. */
  public boolean isError() {
    String status = tags.getOrDefault("otel.status_code", "");
    return tags.containsKey("error")
        || status.equals("ERROR")
        || status.equals("STATUS_CODE_ERROR");
  }

  /** Span names compare case-insensitively: Zipkin stores them lower-cased. */
  public boolean isNamed(String spanName) {
    return name != null && name.toLowerCase(Locale.ROOT).equals(spanName.toLowerCase(Locale.ROOT));
  }

  /**
   * The span's events. Zipkin's exporter writes an event as {@code "name":{attributes}}, SkyWalking
   * as {@code name|{attributes}|droppedCount}, either as the bare name when it has no attributes.
   */
  public List<Event> events() {
    return annotations.stream().map(annotation -> decodeEvent(annotation.value())).toList();
  }

  public Optional<Event> event(String eventName) {
    return events().stream().filter(event -> event.name().equals(eventName)).findFirst();
  }

  static Event decodeEvent(String value) {
    String name = value;
    String attributes = null;
    if (value.startsWith("\"")) {
      int close = value.indexOf("\":", 1);
      if (close > 0) {
        name = value.substring(1, close);
        attributes = value.substring(close + 2);
      }
    } else {
      int first = value.indexOf('|');
      int last = value.lastIndexOf('|');
      if (first > 0 && last > first) {
        name = value.substring(0, first);
        attributes = value.substring(first + 1, last);
      }
    }
    if (attributes == null) {
      return new Event(name, Map.of());
    }
    try {
      return new Event(
          name, json.readValue(attributes, new TypeReference<Map<String, Object>>() {}));
    } catch (JsonProcessingException e) {
      return new Event(name, Map.of("raw", attributes));
    }
  }

  @Override
  public String toString() {
    return serviceName() + "/" + name + "(" + id + ")";
  }
}
