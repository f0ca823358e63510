package dev.traceinsights.compare;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.annotation.Nullable;

/**
 * Spans and OTLP-JSON files for comparison tests, encoded by the SDK's own OTLP-JSON marshaler (as
 * in {@code OtlpJsonRoundTripTest}).
 */
public final class TestTraces {

  public static final long MS = 1_000_000;
  public static final long T0 = 1_700_000_000_000_000_000L;

  private TestTraces() {}

  /** An ended span; ids are hex (trace 32, span 16 characters). */
  public static SpanData span(
      String service,
      String traceId,
      String spanId,
      @Nullable String parentSpanId,
      String name,
      SpanKind kind,
      long start,
      long end,
      boolean error) {
    TestSpanData.Builder builder =
        TestSpanData.builder()
            .setSpanContext(
                SpanContext.create(
                    traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
            .setName(name)
            .setKind(kind)
            .setStartEpochNanos(start)
            .setEndEpochNanos(end)
            .setHasEnded(true)
            .setStatus(error ? StatusData.create(StatusCode.ERROR, "failed") : StatusData.unset());
    if (parentSpanId != null) {
      builder.setParentSpanContext(
          SpanContext.create(
              traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault()));
    }
    if (error) {
      List<EventData> events = new ArrayList<>();
      events.add(
          EventData.create(
              end,
              "exception",
              Attributes.builder()
                  .put("exception.type", "shop.OutOfStockException")
                  .put("exception.message", "sku 42 out of stock")
                  .build()));
      builder.setEvents(events).setTotalRecordedEvents(1);
    }
    return builder.build();
  }

  public static String traceId(int seed, int trace) {
    return String.format(Locale.ROOT, "%016x%016x", seed + 1, trace + 1);
  }

  public static String spanId(int trace, int span) {
    return String.format(Locale.ROOT, "%08x%08x", trace + 1, span + 1);
  }

  /** Writes {@code spans} as one ExportTraceServiceRequest in OTLP-JSON. */
  public static Path write(Path file, List<SpanData> spans) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      TraceRequestMarshaler.create(spans).writeJsonTo(out);
    }
    return file;
  }

  /**
   * A shop run, {@code traces} traces of each of two kinds, durations lognormal with log-sd 0.05:
   *
   * <pre>
   *   inventory: GET /shop/inventory-report (server, frontend)       ~300 ms * reportFactor
   *                └ SELECT inventory (client, frontend), from 10 ms   ~160 ms
   *   cart:      GET /shop/cart (server, frontend)                    ~50 ms
   * </pre>
   *
   * The report's own time is about 140 ms at factor 1, so SELECT inventory (160 ms) is the
   * bottleneck; at 1.3 the report's own time is about 230 ms and the report the bottleneck.
   */
  public static List<SpanData> shopRun(int seed, int traces, double reportFactor) {
    SplittableRandom random = new SplittableRandom(seed);
    List<SpanData> spans = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      long start = T0 + t * 1000 * MS;
      long select = Math.round(160 * MS * Math.exp(0.05 * random.nextGaussian()));
      long own = Math.round(140 * MS * Math.exp(0.05 * random.nextGaussian()));
      long report = Math.round((select + own) * reportFactor);
      String trace = traceId(seed, t);
      spans.add(
          span(
              "frontend",
              trace,
              spanId(t, 0),
              null,
              "GET /shop/inventory-report",
              SpanKind.SERVER,
              start,
              start + report,
              false));
      spans.add(
          span(
              "frontend",
              trace,
              spanId(t, 1),
              spanId(t, 0),
              "SELECT inventory",
              SpanKind.CLIENT,
              start + 10 * MS,
              start + 10 * MS + select,
              false));
      String cartTrace = traceId(seed, traces + t);
      long cart = Math.round(50 * MS * Math.exp(0.05 * random.nextGaussian()));
      spans.add(
          span(
              "frontend",
              cartTrace,
              spanId(traces + t, 0),
              null,
              "GET /shop/cart",
              SpanKind.SERVER,
              start,
              start + cart,
              false));
    }
    return spans;
  }
}
