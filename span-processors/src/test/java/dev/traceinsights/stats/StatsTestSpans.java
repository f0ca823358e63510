package dev.traceinsights.stats;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.enrichment.InsightAttributes;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;

/** Spans and analysed traces for statistics tests. */
final class StatsTestSpans {

  static final String SERVICE = "checkout";
  static final Resource RESOURCE = resource(SERVICE);
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000_000_000L;

  private static final AtomicLong ids = new AtomicLong(1);

  private StatsTestSpans() {}

  static Resource resource(String serviceName) {
    return Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName));
  }

  static OperationKey key(String spanName, SpanKind kind) {
    return new OperationKey(SERVICE, spanName, kind);
  }

  static String traceId(long n) {
    return String.format("%032x", n);
  }

  /** A lone SERVER span of {@link #SERVICE} lasting {@code durationNanos}. */
  static SpanData server(String name, long durationNanos) {
    return span(name).kind(SpanKind.SERVER).duration(durationNanos).build();
  }

  static Builder span(String name) {
    return new Builder(name);
  }

  /**
   * A local trace of {@code spanCount} spans named {@code s0, s1, ...}: {@code s0} is the root
   * (0..1000 ns), the others its children one after the other inside it.
   */
  static List<SpanData> trace(String traceId, int spanCount) {
    List<SpanData> spans = new ArrayList<>(spanCount);
    String rootId = String.format("%016x", ids.getAndIncrement());
    spans.add(span("s0").traceId(traceId).spanId(rootId).at(0, 1000).build());
    for (int i = 1; i < spanCount; i++) {
      spans.add(
          span("s" + i)
              .traceId(traceId)
              .parent(rootId)
              .at(i * 1000L / spanCount, (i + 1) * 1000L / spanCount)
              .build());
    }
    return spans;
  }

  static TraceAnalysis analyze(List<SpanData> spans) {
    return TraceAnalyzer.create().analyze(spans);
  }

  static final class Builder {
    private final String name;
    private Resource resource = RESOURCE;
    private String traceId = StatsTestSpans.traceId(1);
    private String spanId = String.format("%016x", ids.getAndIncrement());
    @Nullable private String parentSpanId;
    private SpanKind kind = SpanKind.INTERNAL;
    private long start = 1_000_000_000L;
    private long end = start;
    private StatusData status = StatusData.unset();
    private final AttributesBuilder attributes = Attributes.builder();
    private final List<EventData> events = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    Builder resource(Resource resource) {
      this.resource = resource;
      return this;
    }

    Builder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    Builder spanId(String spanId) {
      this.spanId = spanId;
      return this;
    }

    Builder parent(String parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    Builder kind(SpanKind kind) {
      this.kind = kind;
      return this;
    }

    Builder duration(long nanos) {
      this.end = start + nanos;
      return this;
    }

    Builder at(long start, long end) {
      this.start = start;
      this.end = end;
      return this;
    }

    Builder errorStatus(String description) {
      this.status = StatusData.create(StatusCode.ERROR, description);
      return this;
    }

    Builder exception(String type, String message) {
      events.add(
          EventData.create(
              end,
              "exception",
              Attributes.builder()
                  .put("exception.type", type)
                  .put("exception.message", message)
                  .build()));
      return this;
    }

    Builder allocatedBytes(long bytes) {
      attributes.put(InsightAttributes.SPAN_ALLOCATED_BYTES, bytes);
      return this;
    }

    SpanData build() {
      SpanContext parent =
          parentSpanId == null
              ? SpanContext.getInvalid()
              : SpanContext.create(
                  traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault());
      Attributes built = attributes.build();
      return TestSpanData.builder()
          .setResource(resource)
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
}
