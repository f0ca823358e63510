package dev.traceinsights.collector;

import dev.traceinsights.internal.ImmutableSpanData;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;
import java.util.Locale;

/**
 * Hand-drawn spans for tests: times in milliseconds from an arbitrary epoch, ids from small
 * numbers, one resource per service name.
 */
public final class TestSpans {

  public static final long EPOCH_NANOS = 1_700_000_000_000_000_000L;

  private TestSpans() {}

  public static String traceId(int n) {
    return String.format(Locale.ROOT, "%032x", n);
  }

  public static String spanId(int n) {
    return String.format(Locale.ROOT, "%016x", n);
  }

  public static Resource service(String name) {
    return Resource.create(
        Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), name));
  }

  /** A span of trace {@code trace}: id {@code id}, parent {@code parent} (0: a root). */
  public static SpanData span(
      int trace,
      int id,
      int parent,
      String service,
      String name,
      SpanKind kind,
      double startMillis,
      double endMillis) {
    return span(
        trace, id, parent, service, name, kind, startMillis, endMillis, false, Attributes.empty());
  }

  public static SpanData span(
      int trace,
      int id,
      int parent,
      String service,
      String name,
      SpanKind kind,
      double startMillis,
      double endMillis,
      boolean error,
      Attributes attributes) {
    SpanContext context =
        SpanContext.create(
            traceId(trace), spanId(id), TraceFlags.getSampled(), TraceState.getDefault());
    SpanContext parentContext =
        parent == 0
            ? SpanContext.getInvalid()
            : SpanContext.createFromRemoteParent(
                traceId(trace), spanId(parent), TraceFlags.getSampled(), TraceState.getDefault());
    return new ImmutableSpanData(
        context,
        parentContext,
        service(service),
        InstrumentationScopeInfo.create("test"),
        name,
        kind,
        EPOCH_NANOS + (long) (startMillis * 1_000_000),
        EPOCH_NANOS + (long) (endMillis * 1_000_000),
        attributes,
        attributes.size(),
        List.of(),
        0,
        List.of(),
        0,
        error ? StatusData.create(StatusCode.ERROR, "failed") : StatusData.unset());
  }
}
