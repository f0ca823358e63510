package dev.traceinsights.otlpjson;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Spans made by a real {@link SdkTracerProvider}, encoded by the SDK's own OTLP-JSON encoder, read
 * back by {@link OtlpJsonTraceReader}: every field must come back as the SDK recorded it.
 *
 * <p>The encoder is {@code TraceRequestMarshaler} of {@code opentelemetry-exporter-otlp-common}
 * 1.67.0, the code behind the SDK's OTLP/HTTP JSON and {@code logging-otlp} exporters. {@code
 * OtlpJsonLoggingSpanExporter} itself cannot be used here: 1.67.0 is absent on the project's Maven
 * mirror and 1.63.0 fails to link against the 1.67.0 marshalers (NoSuchMethodError).
 */
class OtlpJsonRoundTripTest {

  private static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put("service.name", "round-trip")
              .put("service.version", "1.0.0")
              .build(),
          "https://opentelemetry.io/schemas/1.24.0");

  /** One request per export, one per line: the Collector's file exporter format. */
  @Test
  void requestPerExportAsJsonLines_readBackUnchanged() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    List<SpanData> original = recordSpans(new JsonLinesExporter(file));

    assertThat(file.toString(UTF_8).lines().toList())
        .hasSize(original.size())
        .allMatch(line -> line.startsWith("{\"resourceSpans\":[{"));
    List<SpanData> read =
        OtlpJsonTraceReader.create()
            .readSpans(new ByteArrayInputStream(file.toByteArray()), "traces.jsonl");

    assertSameSpans(read, original);
  }

  /** The whole trace in one request, pretty-printed as a person would save it. */
  @Test
  void wholeTraceInOnePrettyRequest_readBackUnchanged() throws IOException {
    List<SpanData> original = recordSpans(new JsonLinesExporter(new ByteArrayOutputStream()));
    ByteArrayOutputStream compact = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(original).writeJsonTo(compact);
    ObjectMapper mapper = new ObjectMapper();
    byte[] pretty =
        mapper
            .writerWithDefaultPrettyPrinter()
            .writeValueAsBytes(mapper.readTree(compact.toByteArray()));
    assertThat(new String(pretty, UTF_8)).contains("\n  \"resourceSpans\" : [ {\n");

    List<SpanData> read =
        OtlpJsonTraceReader.create().readSpans(new ByteArrayInputStream(pretty), "trace.json");

    assertSameSpans(read, original);
  }

  /**
   * Records one trace exercising every field the encoder writes, exporting each span as it ends
   * both to {@code exporter} and to memory; returns the spans as the SDK recorded them.
   */
  private static List<SpanData> recordSpans(SpanExporter exporter) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    TestClock clock = TestClock.create();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .setClock(clock)
            // Small limits so that dropped attribute and event counts travel too.
            .setSpanLimits(
                SpanLimits.builder()
                    .setMaxNumberOfAttributes(14)
                    .setMaxNumberOfEvents(3)
                    .setMaxNumberOfAttributesPerEvent(5)
                    .build())
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    try {
      Tracer tracer =
          tracerProvider
              .tracerBuilder("dev.traceinsights.roundtrip")
              .setInstrumentationVersion("2.0.1")
              .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
              .build();
      SpanContext remoteParent =
          SpanContext.createFromRemoteParent(
              "0102030405060708090a0b0c0d0e0f10",
              "a1a2a3a4a5a6a7a8",
              TraceFlags.getSampled(),
              TraceState.builder().put("vendor2", "b").put("vendor1", "a").build());
      SpanContext linked =
          SpanContext.createFromRemoteParent(
              "ffeeddccbbaa99887766554433221100",
              "1122334455667788",
              TraceFlags.getDefault(),
              TraceState.builder().put("other", "x").build());

      Span root =
          tracer
              .spanBuilder("GET /orders/{id}")
              .setParent(Context.root().with(Span.wrap(remoteParent)))
              .setSpanKind(SpanKind.SERVER)
              .addLink(linked, Attributes.builder().put("link.kind", "batch").build())
              .setAttribute("http.request.method", "GET")
              .setAttribute("http.response.status_code", 500L)
              .setAttribute("big", Long.MAX_VALUE)
              .setAttribute("small", Long.MIN_VALUE)
              .setAttribute("ratio", 0.125)
              .setAttribute("huge", 1.5e300)
              .setAttribute("flag", true)
              .setAttribute("empty", "")
              .setAttribute("unicode", "Grüße, 東京 \"quoted\" \\ \n")
              .setAttribute(stringArrayKey("tags"), List.of("a", "b", ""))
              .setAttribute(booleanArrayKey("bits"), List.of(true, false))
              .setAttribute(longArrayKey("sizes"), List.of(1L, -2L, Long.MAX_VALUE))
              .setAttribute(doubleArrayKey("weights"), List.of(0.5, -1.25))
              .setAttribute("fourteenth", "kept")
              .setAttribute("fifteenth", "dropped")
              .setAttribute("sixteenth", "dropped")
              .startSpan();
      clock.advance(Duration.ofMillis(3));
      try (Scope ignored = root.makeCurrent()) {
        for (SpanKind kind :
            List.of(SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.INTERNAL)) {
          Span child = tracer.spanBuilder("child " + kind).setSpanKind(kind).startSpan();
          clock.advance(Duration.ofNanos(1_234_567));
          child.setStatus(StatusCode.OK);
          child.end();
        }
        Span failing = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan();
        failing.setAttribute("db.system", "postgresql");
        clock.advance(Duration.ofMillis(7));
        IllegalStateException exception = new IllegalStateException("connection reset");
        exception.setStackTrace(
            new StackTraceElement[] {
              new StackTraceElement("shop.Orders", "load", "Orders.java", 42)
            });
        failing.recordException(
            exception, Attributes.builder().put("exception.escaped", true).build());
        failing.setStatus(StatusCode.ERROR, "connection reset");
        failing.end();
      }
      root.addEvent("cache.miss", Attributes.builder().put("cache", "orders").build());
      clock.advance(Duration.ofMillis(1));
      root.addEvent(
          "many attributes",
          Attributes.builder()
              .put("a", 1)
              .put("b", 2)
              .put("c", 3)
              .put("d", 4)
              .put("e", 5)
              .put("f", 6)
              .build());
      root.addEvent("third");
      root.addEvent("fourth, dropped");
      root.setStatus(StatusCode.ERROR, "upstream failed");
      clock.advance(Duration.ofMillis(2));
      root.end();
      // Before shutdown, which empties the in-memory exporter.
      return memory.getFinishedSpanItems();
    } finally {
      tracerProvider.shutdown();
    }
  }

  /** Writes each export as one ExportTraceServiceRequest line, with the SDK's encoder. */
  private static final class JsonLinesExporter implements SpanExporter {
    private final OutputStream out;

    JsonLinesExporter(OutputStream out) {
      this.out = out;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      try {
        TraceRequestMarshaler.create(spans).writeJsonTo(out);
        out.write('\n');
        return CompletableResultCode.ofSuccess();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private static void assertSameSpans(List<SpanData> read, List<SpanData> original) {
    assertThat(original).hasSize(6);
    assertThat(read)
        .extracting(SpanData::getSpanId)
        .containsExactlyElementsOf(original.stream().map(SpanData::getSpanId).toList());
    // Make sure the interesting cases were really exercised, not silently trimmed away.
    SpanData originalRoot = original.get(original.size() - 1);
    assertThat(originalRoot.getTotalAttributeCount())
        .isGreaterThan(originalRoot.getAttributes().size());
    assertThat(originalRoot.getTotalRecordedEvents())
        .isGreaterThan(originalRoot.getEvents().size());
    assertThat(originalRoot.getParentSpanContext().isRemote()).isTrue();
    assertThat(originalRoot.getLinks()).hasSize(1);
    assertThat(original).filteredOn(span -> !span.getEvents().isEmpty()).hasSize(2);

    Map<String, SpanData> readById =
        read.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    for (SpanData expected : original) {
      SpanData actual = readById.get(expected.getSpanId());
      String span = expected.getName();
      assertThat(actual.getSpanContext()).as(span).isEqualTo(expected.getSpanContext());
      assertThat(actual.getParentSpanContext()).as(span).isEqualTo(expected.getParentSpanContext());
      assertThat(actual.getName()).isEqualTo(expected.getName());
      assertThat(actual.getKind()).as(span).isEqualTo(expected.getKind());
      assertThat(actual.getStartEpochNanos()).as(span).isEqualTo(expected.getStartEpochNanos());
      assertThat(actual.getEndEpochNanos()).as(span).isEqualTo(expected.getEndEpochNanos());
      // The SDK keeps span attributes in an AttributesMap, which is not equal to other Attributes.
      assertThat(actual.getAttributes().asMap())
          .as(span)
          .isEqualTo(expected.getAttributes().asMap());
      assertThat(actual.getTotalAttributeCount())
          .as(span)
          .isEqualTo(expected.getTotalAttributeCount());
      assertThat(actual.getEvents()).as(span).hasSameSizeAs(expected.getEvents());
      for (int i = 0; i < expected.getEvents().size(); i++) {
        EventData expectedEvent = expected.getEvents().get(i);
        EventData actualEvent = actual.getEvents().get(i);
        assertThat(actualEvent.getName()).isEqualTo(expectedEvent.getName());
        assertThat(actualEvent.getEpochNanos()).isEqualTo(expectedEvent.getEpochNanos());
        assertThat(actualEvent.getAttributes().asMap())
            .isEqualTo(expectedEvent.getAttributes().asMap());
        assertThat(actualEvent.getTotalAttributeCount())
            .isEqualTo(expectedEvent.getTotalAttributeCount());
      }
      assertThat(actual.getTotalRecordedEvents())
          .as(span)
          .isEqualTo(expected.getTotalRecordedEvents());
      assertThat(actual.getLinks()).as(span).hasSameSizeAs(expected.getLinks());
      for (int i = 0; i < expected.getLinks().size(); i++) {
        LinkData expectedLink = expected.getLinks().get(i);
        LinkData actualLink = actual.getLinks().get(i);
        assertThat(actualLink.getSpanContext()).isEqualTo(expectedLink.getSpanContext());
        assertThat(actualLink.getAttributes().asMap())
            .isEqualTo(expectedLink.getAttributes().asMap());
        assertThat(actualLink.getTotalAttributeCount())
            .isEqualTo(expectedLink.getTotalAttributeCount());
      }
      assertThat(actual.getTotalRecordedLinks())
          .as(span)
          .isEqualTo(expected.getTotalRecordedLinks());
      assertThat(actual.getStatus()).as(span).isEqualTo(expected.getStatus());
      assertThat(actual.getResource()).as(span).isEqualTo(expected.getResource());
      assertThat(actual.getInstrumentationScopeInfo())
          .as(span)
          .isEqualTo(expected.getInstrumentationScopeInfo());
      assertThat(actual.hasEnded()).isTrue();
    }
  }
}
