package dev.traceinsights.internal;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;

/**
 * A finished span read from a file or received over the network. The SDK's own implementations
 * belong to live spans (or to its testing module), so readers carry their own immutable value.
 */
public record ImmutableSpanData(
    SpanContext spanContext,
    SpanContext parentSpanContext,
    Resource resource,
    InstrumentationScopeInfo instrumentationScopeInfo,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    Attributes attributes,
    int totalAttributeCount,
    List<EventData> events,
    int totalRecordedEvents,
    List<LinkData> links,
    int totalRecordedLinks,
    StatusData status)
    implements SpanData {

  public ImmutableSpanData {
    requireNonNull(spanContext, "spanContext");
    requireNonNull(parentSpanContext, "parentSpanContext");
    requireNonNull(resource, "resource");
    requireNonNull(instrumentationScopeInfo, "instrumentationScopeInfo");
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(attributes, "attributes");
    events = List.copyOf(events);
    links = List.copyOf(links);
    requireNonNull(status, "status");
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parentSpanContext;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events;
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int getTotalRecordedEvents() {
    return totalRecordedEvents;
  }

  @Override
  public int getTotalRecordedLinks() {
    return totalRecordedLinks;
  }

  @Override
  public int getTotalAttributeCount() {
    return totalAttributeCount;
  }

  @Override
  @Deprecated
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(
        instrumentationScopeInfo.getName(),
        instrumentationScopeInfo.getVersion(),
        instrumentationScopeInfo.getSchemaUrl());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return instrumentationScopeInfo;
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public String toString() {
    return "ImmutableSpanData{traceId="
        + spanContext.getTraceId()
        + ", spanId="
        + spanContext.getSpanId()
        + ", parentSpanId="
        + parentSpanContext.getSpanId()
        + ", name="
        + name
        + ", kind="
        + kind
        + ", startEpochNanos="
        + startEpochNanos
        + ", endEpochNanos="
        + endEpochNanos
        + ", status="
        + status
        + ", attributes="
        + attributes
        + '}';
  }
}
