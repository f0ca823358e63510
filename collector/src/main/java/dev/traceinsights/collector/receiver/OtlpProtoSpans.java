package dev.traceinsights.collector.receiver;

import com.google.protobuf.ByteString;
import dev.traceinsights.collector.analysis.LocalResults;
import dev.traceinsights.internal.ImmutableSpanData;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Turns an OTLP trace request into SDK {@link SpanData}, the type the analysis, the tail decisions
 * and the SDK's exporters share. Results a Trace Insights extension computed on one service's local
 * trace are left out here: the whole trace's replace them (see {@link LocalResults}).
 */
public final class OtlpProtoSpans {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private OtlpProtoSpans() {}

  public static ReceivedSpans decode(ExportTraceServiceRequest request) {
    List<SpanData> spans = new ArrayList<>();
    ByteString lastTraceBytes = null;
    String lastTraceId = null;
    int rejected = 0;
    String firstRejection = null;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Resource resource =
          Resource.create(
              attributes(resourceSpans.getResource().getAttributesList(), false),
              emptyToNull(resourceSpans.getSchemaUrl()));
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        InstrumentationScopeInfo scope = scope(scopeSpans);
        for (Span span : scopeSpans.getSpansList()) {
          String problem = problem(span);
          if (problem != null) {
            rejected++;
            if (firstRejection == null) {
              firstRejection = problem;
            }
            continue;
          }
          // The spans of a trace usually come together: one id string (and its hash) for them.
          if (!span.getTraceId().equals(lastTraceBytes)) {
            lastTraceBytes = span.getTraceId();
            lastTraceId = hex(lastTraceBytes);
          }
          spans.add(span(span, lastTraceId, resource, scope));
        }
      }
    }
    return new ReceivedSpans(spans, rejected, firstRejection);
  }

  @Nullable
  private static String problem(Span span) {
    if (!isValidId(span.getTraceId(), TraceId.getLength() / 2)) {
      return "a span with an invalid trace id (16 bytes, not all zero)";
    }
    if (!isValidId(span.getSpanId(), SpanId.getLength() / 2)) {
      return "a span with an invalid span id (8 bytes, not all zero)";
    }
    return null;
  }

  /** {@code length} bytes, not all zero: what W3C trace context calls a valid id. */
  private static boolean isValidId(ByteString id, int length) {
    if (id.size() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }

  private static SpanData span(
      Span span, String traceId, Resource resource, InstrumentationScopeInfo scope) {
    TraceState traceState = traceState(span.getTraceState());
    SpanContext context =
        SpanContext.create(traceId, hex(span.getSpanId()), TraceFlags.getSampled(), traceState);
    SpanContext parent =
        isValidId(span.getParentSpanId(), SpanId.getLength() / 2)
            ? SpanContext.createFromRemoteParent(
                traceId,
                hex(span.getParentSpanId()),
                TraceFlags.getSampled(),
                TraceState.getDefault())
            : SpanContext.getInvalid();
    Attributes attributes = attributes(span.getAttributesList(), true);
    List<EventData> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event event : span.getEventsList()) {
      Attributes eventAttributes = attributes(event.getAttributesList(), false);
      events.add(
          EventData.create(
              event.getTimeUnixNano(),
              event.getName(),
              eventAttributes,
              eventAttributes.size() + event.getDroppedAttributesCount()));
    }
    List<LinkData> links = new ArrayList<>(span.getLinksCount());
    for (Span.Link link : span.getLinksList()) {
      String linkedTrace = hex(link.getTraceId());
      String linkedSpan = hex(link.getSpanId());
      if (!TraceId.isValid(linkedTrace) || !SpanId.isValid(linkedSpan)) {
        continue;
      }
      Attributes linkAttributes = attributes(link.getAttributesList(), false);
      links.add(
          LinkData.create(
              SpanContext.createFromRemoteParent(
                  linkedTrace,
                  linkedSpan,
                  TraceFlags.getSampled(),
                  traceState(link.getTraceState())),
              linkAttributes,
              linkAttributes.size() + link.getDroppedAttributesCount()));
    }
    return new ImmutableSpanData(
        context,
        parent,
        resource,
        scope,
        span.getName(),
        kind(span.getKind()),
        span.getStartTimeUnixNano(),
        Math.max(span.getStartTimeUnixNano(), span.getEndTimeUnixNano()),
        attributes,
        attributes.size() + span.getDroppedAttributesCount(),
        events,
        events.size() + span.getDroppedEventsCount(),
        links,
        links.size() + span.getDroppedLinksCount(),
        status(span.getStatus()));
  }

  private static InstrumentationScopeInfo scope(ScopeSpans scopeSpans) {
    InstrumentationScope scope = scopeSpans.getScope();
    InstrumentationScopeInfoBuilder builder = InstrumentationScopeInfo.builder(scope.getName());
    if (!scope.getVersion().isEmpty()) {
      builder.setVersion(scope.getVersion());
    }
    if (!scopeSpans.getSchemaUrl().isEmpty()) {
      builder.setSchemaUrl(scopeSpans.getSchemaUrl());
    }
    if (scope.getAttributesCount() > 0) {
      builder.setAttributes(attributes(scope.getAttributesList(), false));
    }
    return builder.build();
  }

  private static SpanKind kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_SERVER -> SpanKind.SERVER;
      case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
      default -> SpanKind.INTERNAL;
    };
  }

  private static StatusData status(Status status) {
    return switch (status.getCode()) {
      case STATUS_CODE_ERROR -> StatusData.create(StatusCode.ERROR, status.getMessage());
      case STATUS_CODE_OK -> StatusData.ok();
      default -> StatusData.unset();
    };
  }

  private static Attributes attributes(List<KeyValue> keyValues, boolean spanAttributes) {
    if (keyValues.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder builder = Attributes.builder();
    for (KeyValue keyValue : keyValues) {
      String key = keyValue.getKey();
      if (key.isEmpty() || (spanAttributes && LocalResults.isLocalResult(key))) {
        continue;
      }
      put(builder, key, keyValue.getValue());
    }
    return builder.build();
  }

  private static void put(AttributesBuilder builder, String key, AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> builder.put(key, value.getStringValue());
      case BOOL_VALUE -> builder.put(key, value.getBoolValue());
      case INT_VALUE -> builder.put(key, value.getIntValue());
      case DOUBLE_VALUE -> builder.put(key, value.getDoubleValue());
      case ARRAY_VALUE -> putArray(builder, key, value.getArrayValue().getValuesList());
      case VALUE_NOT_SET -> {
        // An empty value carries nothing the SDK's attributes can hold.
      }
      default -> builder.put(key, text(value));
    }
  }

  /** Homogeneous arrays keep their type; anything else is kept as text, as the SDK would. */
  private static void putArray(AttributesBuilder builder, String key, List<AnyValue> values) {
    AnyValue.ValueCase kind = values.isEmpty() ? null : values.get(0).getValueCase();
    for (AnyValue value : values) {
      if (value.getValueCase() != kind) {
        kind = null;
        break;
      }
    }
    if (kind == AnyValue.ValueCase.BOOL_VALUE) {
      List<Boolean> list = new ArrayList<>(values.size());
      values.forEach(v -> list.add(v.getBoolValue()));
      builder.put(AttributeKey.booleanArrayKey(key), list);
    } else if (kind == AnyValue.ValueCase.INT_VALUE) {
      List<Long> list = new ArrayList<>(values.size());
      values.forEach(v -> list.add(v.getIntValue()));
      builder.put(AttributeKey.longArrayKey(key), list);
    } else if (kind == AnyValue.ValueCase.DOUBLE_VALUE) {
      List<Double> list = new ArrayList<>(values.size());
      values.forEach(v -> list.add(v.getDoubleValue()));
      builder.put(AttributeKey.doubleArrayKey(key), list);
    } else {
      List<String> list = new ArrayList<>(values.size());
      values.forEach(v -> list.add(text(v)));
      builder.put(AttributeKey.stringArrayKey(key), list);
    }
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> String.valueOf(value.getBoolValue());
      case INT_VALUE -> String.valueOf(value.getIntValue());
      case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
      case BYTES_VALUE -> hex(value.getBytesValue());
      case ARRAY_VALUE -> {
        List<String> parts = new ArrayList<>();
        value.getArrayValue().getValuesList().forEach(v -> parts.add(text(v)));
        yield "[" + String.join(",", parts) + "]";
      }
      case KVLIST_VALUE -> {
        List<String> parts = new ArrayList<>();
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          parts.add(kv.getKey() + "=" + text(kv.getValue()));
        }
        yield "{" + String.join(",", parts) + "}";
      }
      default -> "";
    };
  }

  /** W3C {@code tracestate}: comma-separated {@code key=value}; malformed members are skipped. */
  private static TraceState traceState(String text) {
    if (text.isEmpty()) {
      return TraceState.getDefault();
    }
    TraceStateBuilder builder = TraceState.builder();
    for (String member : text.split(",")) {
      int eq = member.indexOf('=');
      if (eq > 0) {
        builder.put(member.substring(0, eq).trim(), member.substring(eq + 1).trim());
      }
    }
    return builder.build();
  }

  static String hex(ByteString bytes) {
    char[] chars = new char[bytes.size() * 2];
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      chars[2 * i] = HEX[b >>> 4];
      chars[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(chars);
  }

  @Nullable
  private static String emptyToNull(String text) {
    return text.isEmpty() ? null : text;
  }
}
