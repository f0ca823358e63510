package dev.traceinsights.analysis;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Builds {@link SpanData} for analysis tests. Spans are named, and a span's id is derived from its
 * name ({@link #id}) so that tests can refer to spans by name.
 */
final class TestSpans {

  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  private TestSpans() {}

  /** The span id of the span named {@code name}: its ASCII bytes in hex, left-padded with 0. */
  static String id(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length > 8) {
      throw new IllegalArgumentException("span names in tests have at most 8 characters: " + name);
    }
    StringBuilder hex = new StringBuilder("0".repeat(16 - 2 * bytes.length));
    for (byte b : bytes) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  static Builder span(String name) {
    return new Builder(name);
  }

  static final class Builder {
    private String name;
    private String spanId;
    private String traceId = TRACE_ID;
    @Nullable private String parentSpanId;
    private boolean remoteParent;
    private long start;
    private long end;
    private SpanKind kind = SpanKind.INTERNAL;
    private StatusData status = StatusData.unset();
    private final AttributesBuilder attributes = Attributes.builder();
    private final List<EventData> events = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
      this.spanId = id(name);
    }

    /** The parent is the span named {@code parentName}. */
    Builder parent(String parentName) {
      return parentId(id(parentName));
    }

    Builder parentId(String parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    /** The parent is a span of another process (or lost): a valid remote context. */
    Builder remoteParent(String parentName) {
      this.parentSpanId = id(parentName);
      this.remoteParent = true;
      return this;
    }

    /** Renames the span, keeping the id derived from the name it was created with. */
    Builder name(String name) {
      this.name = name;
      return this;
    }

    Builder spanId(String spanId) {
      this.spanId = spanId;
      return this;
    }

    Builder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    Builder at(long start, long end) {
      this.start = start;
      this.end = end;
      return this;
    }

    Builder kind(SpanKind kind) {
      this.kind = kind;
      return this;
    }

    Builder errorStatus(String description) {
      this.status = StatusData.create(StatusCode.ERROR, description);
      return this;
    }

    /** An {@code exception} event as the SDK's {@code recordException} writes it. */
    Builder exception(String type, String message, @Nullable String stackTrace) {
      AttributesBuilder event =
          Attributes.builder().put("exception.type", type).put("exception.message", message);
      if (stackTrace != null) {
        event.put("exception.stacktrace", stackTrace);
      }
      events.add(EventData.create(end, "exception", event.build()));
      return this;
    }

    Builder event(String eventName) {
      events.add(EventData.create(end, eventName, Attributes.empty()));
      return this;
    }

    <T> Builder attribute(AttributeKey<T> key, T value) {
      attributes.put(key, value);
      return this;
    }

    Builder attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    SpanData build() {
      SpanContext parent =
          parentSpanId == null
              ? SpanContext.getInvalid()
              : remoteParent
                  ? SpanContext.createFromRemoteParent(
                      traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault())
                  : SpanContext.create(
                      traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault());
      Attributes built = attributes.build();
      return TestSpanData.builder()
          .setSpanContext(
              SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
          .setParentSpanContext(parent)
          .setName(name)
          .setKind(kind)
          .setStartEpochNanos(start)
          .setEndEpochNanos(end)
          .setStatus(status)
          .setAttributes(built)
          .setTotalAttributeCount(built.size())
          .setEvents(events)
          .setTotalRecordedEvents(events.size())
          .setHasEnded(true)
          .build();
    }
  }

  /** Section ids of the critical path, in order, for compact assertions. */
  static List<String> sectionSpans(TraceAnalysis analysis) {
    List<String> ids = new ArrayList<>();
    for (CriticalPathSection section : analysis.criticalPath()) {
      ids.add(section.spanId());
    }
    return ids;
  }

  static CriticalPathSection section(String spanName, long start, long end) {
    return new CriticalPathSection(id(spanName), start, end);
  }
}
