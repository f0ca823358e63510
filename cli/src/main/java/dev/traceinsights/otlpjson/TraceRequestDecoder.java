package dev.traceinsights.otlpjson;

import com.fasterxml.jackson.databind.JsonNode;
import dev.traceinsights.internal.ImmutableSpanData;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * Decodes one {@code ExportTraceServiceRequest} (already parsed into a JSON tree) into spans,
 * following the OTLP/JSON rules: hex ids, enums as integers (names accepted too), 64-bit integers
 * as strings or numbers, unknown fields ignored.
 */
final class TraceRequestDecoder {

  private static final int TRACE_ID_HEX_LENGTH = 32;
  private static final int SPAN_ID_HEX_LENGTH = 16;

  // Span.flags and Link.flags (trace.proto SpanFlags): bits 0-7 are the W3C trace flags, bit 8 says
  // whether bit 9 is known, bit 9 says the parent (or linked) context was remote.
  private static final long TRACE_FLAGS_MASK = 0xFF;
  private static final long HAS_IS_REMOTE_MASK = 0x100;
  private static final long IS_REMOTE_MASK = 0x200;

  private static final List<String> SPAN_KIND_NAMES =
      List.of(
          "SPAN_KIND_UNSPECIFIED",
          "SPAN_KIND_INTERNAL",
          "SPAN_KIND_SERVER",
          "SPAN_KIND_CLIENT",
          "SPAN_KIND_PRODUCER",
          "SPAN_KIND_CONSUMER");
  private static final List<SpanKind> SPAN_KINDS =
      List.of(
          SpanKind.INTERNAL, // UNSPECIFIED: the SDK's default kind
          SpanKind.INTERNAL,
          SpanKind.SERVER,
          SpanKind.CLIENT,
          SpanKind.PRODUCER,
          SpanKind.CONSUMER);
  private static final List<String> STATUS_CODE_NAMES =
      List.of("STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR");
  private static final List<StatusCode> STATUS_CODES =
      List.of(StatusCode.UNSET, StatusCode.OK, StatusCode.ERROR);

  private TraceRequestDecoder() {}

  /** Appends the spans of {@code request} to {@code spans}, in the order they appear. */
  static void decode(JsonNode request, List<SpanData> spans) {
    LocatedJson root = LocatedJson.root(request);
    for (LocatedJson resourceSpans : root.arrayField("resourceSpans")) {
      resourceSpans.requireObject();
      Resource resource = resource(resourceSpans);
      List<LocatedJson> scopeSpansList = resourceSpans.arrayField("scopeSpans");
      if (scopeSpansList.isEmpty()) {
        // The name of ScopeSpans before OTLP 0.19; files written by older Collectors still have it.
        scopeSpansList = resourceSpans.arrayField("instrumentationLibrarySpans");
      }
      for (LocatedJson scopeSpans : scopeSpansList) {
        scopeSpans.requireObject();
        InstrumentationScopeInfo scope = scope(scopeSpans);
        for (LocatedJson span : scopeSpans.arrayField("spans")) {
          spans.add(span(span.requireObject(), resource, scope));
        }
      }
    }
  }

  private static Resource resource(LocatedJson resourceSpans) {
    LocatedJson resource = resourceSpans.objectField("resource");
    Attributes attributes =
        resource == null ? Attributes.empty() : AttributesDecoder.decode(resource, "attributes");
    return Resource.create(attributes, resourceSpans.optionalStringField("schemaUrl"));
  }

  private static InstrumentationScopeInfo scope(LocatedJson scopeSpans) {
    LocatedJson scope = scopeSpans.objectField("scope");
    if (scope == null) {
      scope = scopeSpans.objectField("instrumentationLibrary");
    }
    InstrumentationScopeInfoBuilder builder =
        InstrumentationScopeInfo.builder(scope == null ? "" : scope.stringField("name", ""));
    String schemaUrl = scopeSpans.optionalStringField("schemaUrl");
    if (schemaUrl != null) {
      builder.setSchemaUrl(schemaUrl);
    }
    if (scope != null) {
      String version = scope.optionalStringField("version");
      if (version != null) {
        builder.setVersion(version);
      }
      builder.setAttributes(AttributesDecoder.decode(scope, "attributes"));
    }
    return builder.build();
  }

  private static SpanData span(
      LocatedJson span, Resource resource, InstrumentationScopeInfo scope) {
    String traceId = hexId(span, "traceId", TRACE_ID_HEX_LENGTH);
    String spanId = hexId(span, "spanId", SPAN_ID_HEX_LENGTH);
    LocatedJson flagsField = span.field("flags");
    long flags = flagsField == null ? -1 : flagsField.asUnsignedInt();
    // Without flags (producers before OTLP 1.1) the span was exported, so it was sampled.
    TraceFlags traceFlags =
        flags < 0
            ? TraceFlags.getSampled()
            : TraceFlags.fromByte((byte) (flags & TRACE_FLAGS_MASK));
    TraceState traceState = traceState(span.optionalStringField("traceState"));
    SpanContext spanContext = SpanContext.create(traceId, spanId, traceFlags, traceState);

    // The file carries only the parent's id; its flags and state are taken to be the span's own.
    String parentSpanId = optionalParentSpanId(span);
    SpanContext parentSpanContext;
    if (parentSpanId == null) {
      parentSpanContext = SpanContext.getInvalid();
    } else if (flags >= 0 && isRemote(flags)) {
      parentSpanContext =
          SpanContext.createFromRemoteParent(traceId, parentSpanId, traceFlags, traceState);
    } else {
      parentSpanContext = SpanContext.create(traceId, parentSpanId, traceFlags, traceState);
    }

    long start = span.requiredField("startTimeUnixNano").asLong(true);
    long end = span.requiredField("endTimeUnixNano").asLong(true);
    if (end < start) {
      throw span.error(
          "endTimeUnixNano "
              + end
              + " is before startTimeUnixNano "
              + start
              + "; a span cannot end before it starts");
    }

    Attributes attributes = AttributesDecoder.decode(span, "attributes");
    List<EventData> events = events(span);
    List<LinkData> links = links(span);
    return new ImmutableSpanData(
        spanContext,
        parentSpanContext,
        resource,
        scope,
        span.stringField("name", ""),
        spanKind(span.field("kind")),
        start,
        end,
        attributes,
        total(attributes.size(), span, "droppedAttributesCount"),
        events,
        total(events.size(), span, "droppedEventsCount"),
        links,
        total(links.size(), span, "droppedLinksCount"),
        status(span.objectField("status")));
  }

  private static List<EventData> events(LocatedJson span) {
    List<LocatedJson> encoded = span.arrayField("events");
    List<EventData> events = new ArrayList<>(encoded.size());
    for (LocatedJson event : encoded) {
      event.requireObject();
      LocatedJson time = event.field("timeUnixNano");
      Attributes attributes = AttributesDecoder.decode(event, "attributes");
      events.add(
          EventData.create(
              time == null ? 0 : time.asLong(true),
              event.stringField("name", ""),
              attributes,
              total(attributes.size(), event, "droppedAttributesCount")));
    }
    return events;
  }

  private static List<LinkData> links(LocatedJson span) {
    List<LocatedJson> encoded = span.arrayField("links");
    List<LinkData> links = new ArrayList<>(encoded.size());
    for (LocatedJson link : encoded) {
      link.requireObject();
      String traceId = hexId(link, "traceId", TRACE_ID_HEX_LENGTH);
      String spanId = hexId(link, "spanId", SPAN_ID_HEX_LENGTH);
      LocatedJson flagsField = link.field("flags");
      long flags = flagsField == null ? 0 : flagsField.asUnsignedInt();
      TraceFlags traceFlags = TraceFlags.fromByte((byte) (flags & TRACE_FLAGS_MASK));
      TraceState traceState = traceState(link.optionalStringField("traceState"));
      SpanContext context =
          isRemote(flags)
              ? SpanContext.createFromRemoteParent(traceId, spanId, traceFlags, traceState)
              : SpanContext.create(traceId, spanId, traceFlags, traceState);
      Attributes attributes = AttributesDecoder.decode(link, "attributes");
      links.add(
          LinkData.create(
              context, attributes, total(attributes.size(), link, "droppedAttributesCount")));
    }
    return links;
  }

  private static StatusData status(@Nullable LocatedJson status) {
    if (status == null) {
      return StatusData.unset();
    }
    LocatedJson code = status.field("code");
    StatusCode statusCode =
        code == null
            ? StatusCode.UNSET
            : STATUS_CODES.get(
                enumNumber(code, STATUS_CODE_NAMES, "status code", "STATUS_CODE_ERROR"));
    return StatusData.create(statusCode, status.stringField("message", ""));
  }

  private static SpanKind spanKind(@Nullable LocatedJson kind) {
    return kind == null
        ? SpanKind.INTERNAL
        : SPAN_KINDS.get(enumNumber(kind, SPAN_KIND_NAMES, "span kind", "SPAN_KIND_SERVER"));
  }

  /**
   * OTLP/JSON writes enums as integers; proto3 JSON in general also allows their names, which
   * hand-written files use, so both are accepted.
   */
  private static int enumNumber(
      LocatedJson value, List<String> names, String what, String exampleName) {
    JsonNode node = value.node();
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      int number = node.intValue();
      if (number >= 0 && number < names.size()) {
        return number;
      }
    } else if (node.isTextual()) {
      String text = node.textValue().trim().toUpperCase(Locale.ROOT);
      int index = names.indexOf(text);
      if (index >= 0) {
        return index;
      }
      try {
        int number = Integer.parseInt(text);
        if (number >= 0 && number < names.size()) {
          return number;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw value.error(
        "unknown "
            + what
            + " ("
            + LocatedJson.describe(node)
            + "); expected 0 to "
            + (names.size() - 1)
            + " or a name such as "
            + exampleName);
  }

  private static String hexId(LocatedJson owner, String camelName, int hexLength) {
    LocatedJson field = owner.requiredField(camelName);
    String text = field.asString();
    if (text.isEmpty()) {
      throw owner.error("missing " + camelName + " (it is empty)");
    }
    if (text.length() != hexLength || !isHex(text)) {
      String detail =
          "expected "
              + hexLength
              + " hex digits, found "
              + LocatedJson.quote(text)
              + " ("
              + text.length()
              + " characters)";
      if (isBase64Of(text, hexLength / 2)) {
        detail +=
            "; it looks base64-encoded (protobuf's generic JSON mapping), but OTLP/JSON"
                + " writes trace and span ids as hex";
      }
      throw field.error(detail);
    }
    String id = text.toLowerCase(Locale.ROOT);
    if (id.chars().allMatch(c -> c == '0')) {
      throw field.error("all zeros is not a valid " + camelName);
    }
    return id;
  }

  /** The parent span id, null for a root: absent, empty or all zeros all mean "no parent". */
  @Nullable
  private static String optionalParentSpanId(LocatedJson span) {
    LocatedJson field = span.field("parentSpanId");
    if (field == null || field.asString().isEmpty()) {
      return null;
    }
    String text = field.asString();
    if (text.chars().allMatch(c -> c == '0')) {
      return null;
    }
    return hexId(span, "parentSpanId", SPAN_ID_HEX_LENGTH);
  }

  private static boolean isRemote(long flags) {
    return (flags & HAS_IS_REMOTE_MASK) != 0 && (flags & IS_REMOTE_MASK) != 0;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBase64Of(String text, int byteLength) {
    try {
      return Base64.getDecoder().decode(text).length == byteLength;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Parses a W3C {@code tracestate} header value; malformed members are dropped, as the W3C
   * propagator does.
   */
  private static TraceState traceState(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return TraceState.getDefault();
    }
    String[] members = header.split(",");
    TraceStateBuilder builder = TraceState.builder();
    // The builder puts each new entry first, and the header lists the newest first.
    for (int i = members.length - 1; i >= 0; i--) {
      String member = members[i].trim();
      int equals = member.indexOf('=');
      if (equals > 0) {
        builder.put(member.substring(0, equals).trim(), member.substring(equals + 1).trim());
      }
    }
    return builder.build();
  }

  private static int total(int recorded, LocatedJson owner, String droppedField) {
    LocatedJson dropped = owner.field(droppedField);
    long total = recorded + (dropped == null ? 0 : dropped.asUnsignedInt());
    return (int) Math.min(Integer.MAX_VALUE, total);
  }
}
