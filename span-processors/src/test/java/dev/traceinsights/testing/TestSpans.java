package dev.traceinsights.testing;

import dev.traceinsights.semconv.InsightAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Builds ended {@link SpanData} for tests that hand spans straight to the analyzer, the statistics
 * or the trace buffer, without going through the SDK.
 *
 * <p>Unless told otherwise ({@link Builder#spanId}), a span's id is derived from its name ({@link
 * #id}) so that tests can refer to spans by name. A span defaults to trace {@link #TRACE_ID}, kind
 * {@code INTERNAL}, status unset, an empty resource, and starts and ends at 0.
 */
public final class TestSpans {

  /** The trace id spans get unless {@link Builder#traceId} says otherwise. */
  public static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  private TestSpans() {}

  /** The span id of the span named {@code name}: its ASCII bytes in hex, left-padded with 0. */
  public static String id(String name) {
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

  /** The {@code n}th trace id: {@code n} in 32 hex digits. */
  public static String traceId(long n) {
    return String.format("%032x", n);
  }

  /** The {@code n}th span id: {@code n} in 16 hex digits. */
  public static String spanId(long n) {
    return String.format("%016x", n);
  }

  /** A resource naming only the service. */
  public static Resource resource(String serviceName) {
    return Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName));
  }

  /** A span named {@code name}, with the id {@link #id id(name)} unless one is given. */
  public static Builder span(String name) {
    return new Builder(name);
  }

  /** An ended span being described; {@link #build} makes it. */
  public static final class Builder {
    private final String idName;
    private String name;
    @Nullable private String spanId;
    private String traceId = TRACE_ID;
    @Nullable private String parentSpanId;
    private boolean remoteParent;
    private Resource resource = Resource.empty();
    private long start;
    private long end;
    private SpanKind kind = SpanKind.INTERNAL;
    private StatusData status = StatusData.unset();
    private final AttributesBuilder attributes = Attributes.builder();
    private final List<EventData> events = new ArrayList<>();

    private Builder(String name) {
      this.idName = name;
      this.name = name;
    }

    /** The parent is the span named {@code parentName}, in this process. */
    public Builder parent(String parentName) {
      return parentId(id(parentName));
    }

    /** The parent is the span with id {@code parentSpanId}, in this process. */
    public Builder parentId(String parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    /** The parent is a span of another process (or lost): a valid remote context. */
    public Builder remoteParent(String parentName) {
      return remoteParentId(id(parentName));
    }

    /** Like {@link #remoteParent} for a parent given by its span id. */
    public Builder remoteParentId(String parentSpanId) {
      this.parentSpanId = parentSpanId;
      this.remoteParent = true;
      return this;
    }

    /** Renames the span, keeping the id derived from the name it was created with. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Sets the span id instead of deriving it from the name, which then may be of any length. */
    public Builder spanId(String spanId) {
      this.spanId = spanId;
      return this;
    }

    public Builder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder resource(Resource resource) {
      this.resource = resource;
      return this;
    }

    public Builder at(long start, long end) {
      this.start = start;
      this.end = end;
      return this;
    }

    /** Ends the span {@code nanos} after its start (as set so far). */
    public Builder duration(long nanos) {
      this.end = start + nanos;
      return this;
    }

    public Builder kind(SpanKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder errorStatus(String description) {
      this.status = StatusData.create(StatusCode.ERROR, description);
      return this;
    }

    /**
     * An {@code exception} event as the SDK's {@code recordException} writes it, at the span's end
     * (as set so far).
     */
    public Builder exception(String type, String message, @Nullable String stackTrace) {
      AttributesBuilder event =
          Attributes.builder().put("exception.type", type).put("exception.message", message);
      if (stackTrace != null) {
        event.put("exception.stacktrace", stackTrace);
      }
      events.add(EventData.create(end, "exception", event.build()));
      return this;
    }

    /** An {@code exception} event without a stack trace. */
    public Builder exception(String type, String message) {
      return exception(type, message, null);
    }

    /** An event without attributes at the span's end (as set so far). */
    public Builder event(String eventName) {
      events.add(EventData.create(end, eventName, Attributes.empty()));
      return this;
    }

    public <T> Builder attribute(AttributeKey<T> key, T value) {
      attributes.put(key, value);
      return this;
    }

    public Builder attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    /** The bytes the span allocated, as the capture processor records them. */
    public Builder allocatedBytes(long bytes) {
      return attribute(InsightAttributes.SPAN_ALLOCATED_BYTES, bytes);
    }

    public SpanData build() {
      SpanContext parent =
          parentSpanId == null
              ? SpanContext.getInvalid()
              : remoteParent
                  ? SpanContext.createFromRemoteParent(
                      traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault())
                  : SpanContext.create(
                      traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault());
      String id = spanId != null ? spanId : id(idName);
      Attributes built = attributes.build();
      return TestSpanData.builder()
          .setResource(resource)
          .setSpanContext(
              SpanContext.create(traceId, id, TraceFlags.getSampled(), TraceState.getDefault()))
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
}
