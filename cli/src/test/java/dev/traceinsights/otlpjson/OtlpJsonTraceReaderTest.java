package dev.traceinsights.otlpjson;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpJsonTraceReaderTest {

  private static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";

  private final OtlpJsonTraceReader reader = OtlpJsonTraceReader.create();

  @Test
  void collectorFileExporterLines_oneTraceOverTwoLines_groupedInInputOrder() throws Exception {
    List<SpanData> spans = reader.readSpans(fixture("collector-file-exporter.jsonl"));

    assertThat(spans)
        .extracting(SpanData::getSpanId)
        .containsExactly(
            "00f067aa0ba902b7", "b7ad6b7169203331", "53995c3f42cd8ad8", "e457b5a2e4d86bd1");

    Map<String, List<SpanData>> traces = OtlpJsonTraceReader.groupByTraceId(spans);
    assertThat(traces.keySet()).containsExactly(TRACE_A, TRACE_B);
    assertThat(traces.get(TRACE_A))
        .extracting(SpanData::getSpanId)
        .containsExactly("00f067aa0ba902b7", "53995c3f42cd8ad8", "e457b5a2e4d86bd1");
    assertThat(traces.get(TRACE_B))
        .extracting(SpanData::getSpanId)
        .containsExactly("b7ad6b7169203331");

    Resource frontend =
        Resource.create(
            Attributes.builder().put("service.name", "frontend").build(),
            "https://opentelemetry.io/schemas/1.24.0");
    assertThat(spans.get(0))
        .hasTraceId(TRACE_A)
        .hasSpanId("00f067aa0ba902b7")
        .hasNoParent()
        .isSampled()
        .hasName("GET /checkout")
        .hasKind(SpanKind.SERVER)
        .startsAt(1_700_000_000_000_000_000L)
        .endsAt(1_700_000_000_100_000_000L)
        .hasAttributes(
            Attributes.builder()
                .put("http.request.method", "GET")
                .put("http.response.status_code", 200L)
                .build())
        .hasTotalAttributeCount(2)
        .hasStatus(StatusData.unset())
        .hasResource(frontend)
        .hasInstrumentationScopeInfo(
            InstrumentationScopeInfo.builder("io.opentelemetry.tomcat-10.0")
                .setVersion("2.33.1-alpha")
                .build())
        .hasEnded();

    // flags 769 = sampled | has-is-remote | is-remote: the parent lives in another process.
    assertThat(spans.get(1).getParentSpanContext())
        .isEqualTo(
            SpanContext.createFromRemoteParent(
                TRACE_B, "a1b2c3d4e5f60718", TraceFlags.getSampled(), TraceState.getDefault()));
    // flags 257 = sampled | has-is-remote: a local parent.
    assertThat(spans.get(2).getParentSpanContext())
        .isEqualTo(
            SpanContext.create(
                TRACE_A, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()));

    assertThat(spans.get(2))
        .hasParentSpanId("00f067aa0ba902b7")
        .hasName("SELECT shop.orders")
        .hasKind(SpanKind.CLIENT)
        .startsAt(1_700_000_000_010_000_000L)
        .endsAt(1_700_000_000_060_000_000L)
        .hasStatus(StatusData.create(StatusCode.ERROR, "connection reset"))
        .hasEvents(
            EventData.create(
                1_700_000_000_059_000_000L,
                "exception",
                Attributes.builder()
                    .put("exception.type", "java.sql.SQLException")
                    .put("exception.message", "connection reset")
                    .build()))
        .hasTotalRecordedEvents(1)
        .hasResourceSatisfying(
            resource ->
                resource.hasAttributes(Attributes.of(stringKey("service.name"), "inventory")));
    assertThat(spans.get(3)).hasKind(SpanKind.INTERNAL).hasParentSpanId("00f067aa0ba902b7");
  }

  @Test
  void prettyRequest_enumNames_upperCaseIds_everyAnyValueKind() throws Exception {
    List<SpanData> spans = reader.readSpans(fixture("pretty-request.json"));

    assertThat(spans).hasSize(2);
    SpanData pay = spans.get(0);
    assertThat(pay)
        .hasTraceId("5b8efff798038103d269b633813fc60c")
        .hasSpanId("eee19b7ec3c1b174")
        .hasNoParent()
        .isSampled()
        .hasName("POST /pay")
        .hasKind(SpanKind.SERVER)
        // JSON numbers above 2^53 are read exactly, not through a double.
        .startsAt(1_700_000_000_000_000_000L)
        .endsAt(1_700_000_000_250_000_000L)
        .hasStatus(StatusData.create(StatusCode.ERROR, "payment declined"))
        .hasAttributes(
            Attributes.builder()
                .put("a.string", "hello")
                .put("a.bool", true)
                .put("an.int.as.string", Long.MIN_VALUE)
                .put("an.int.as.number", 42L)
                .put("a.double", 0.25)
                .put("a.double.as.string", Double.NaN)
                .put(stringArrayKey("strings"), List.of("a", "b"))
                .put(booleanArrayKey("bools"), List.of(true, false))
                .put(longArrayKey("ints"), List.of(1L, 2L))
                .put(doubleArrayKey("doubles"), List.of(1.5, -2.0))
                // Not representable as an OTel attribute: compact JSON, bytes as base64, empty as
                // null inside JSON and as "" on its own.
                .put("mixed", "[\"a\",1,\"AQI=\",null]")
                .put(stringArrayKey("nothing.in.it"), List.of())
                .put("a.map", "{\"user\":\"ada\",\"tries\":3,\"nested\":{\"ok\":false}}")
                .put("some.bytes", "3q2+7w==")
                .put("empty.value", "")
                .put("no.value", "")
                .build())
        .hasTotalAttributeCount(16 + 2)
        .hasEvents(
            EventData.create(
                1_700_000_000_200_000_000L,
                "exception",
                Attributes.builder()
                    .put("exception.type", "shop.PaymentDeclined")
                    .put("exception.message", "card expired")
                    .build(),
                3),
            EventData.create(1_700_000_000_210_000_000L, "retry.scheduled", Attributes.empty()))
        .hasTotalRecordedEvents(2 + 3)
        .hasLinks(
            LinkData.create(
                SpanContext.createFromRemoteParent(
                    TRACE_B,
                    "b7ad6b7169203331",
                    TraceFlags.getSampled(),
                    TraceState.builder().put("rojo", "1").build()),
                Attributes.of(stringKey("link.reason"), "batch"),
                2))
        .hasTotalRecordedLinks(1 + 1)
        .hasResource(
            Resource.create(
                Attributes.builder()
                    .put("service.name", "checkout")
                    .put("service.instance.id", "pod-7")
                    .build(),
                "https://opentelemetry.io/schemas/1.24.0"))
        .hasInstrumentationScopeInfo(
            InstrumentationScopeInfo.builder("shop.checkout")
                .setVersion("1.4.0")
                .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
                .setAttributes(Attributes.of(stringKey("shop.module"), "payments"))
                .build());
    TraceState traceState = pay.getSpanContext().getTraceState();
    assertThat(traceState.asMap())
        .containsExactly(Map.entry("congo", "t61rcWkgMzE"), Map.entry("rojo", "00f067aa0ba902b7"));

    assertThat(spans.get(1))
        .hasTraceId("5b8efff798038103d269b633813fc60c")
        .hasSpanId("0102030405060708")
        .hasParentSpanId("eee19b7ec3c1b174")
        .hasKind(SpanKind.CLIENT)
        .hasStatus(StatusData.ok())
        .hasAttributes(Attributes.empty())
        .hasTotalAttributeCount(0)
        .hasTotalRecordedEvents(0)
        .hasTotalRecordedLinks(0);
  }

  @Test
  void legacyAndSnakeCaseFieldNames() throws Exception {
    List<SpanData> spans = reader.readSpans(fixture("legacy-names.json"));

    assertThat(spans).hasSize(2);
    assertThat(spans.get(0))
        .hasTraceId("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .hasSpanId("bbbbbbbbbbbbbbbb")
        .hasParentSpanId("cccccccccccccccc")
        .hasName("legacy span")
        .hasKind(SpanKind.INTERNAL) // SPAN_KIND_UNSPECIFIED
        .startsAt(1000)
        .endsAt(3000)
        .hasAttributes(
            Attributes.builder()
                .put("n", 7L)
                .put("d", 1.5)
                .put("b", false)
                .put(stringArrayKey("list"), List.of("x"))
                .build())
        .hasTotalAttributeCount(5)
        .hasStatus(StatusData.unset())
        .hasResource(Resource.create(Attributes.of(stringKey("service.name"), "legacy")))
        .hasInstrumentationScopeInfo(
            InstrumentationScopeInfo.builder("old.library").setVersion("0.9").build());
    assertThat(spans.get(1))
        .hasSpanId("cccccccccccccccc")
        .hasNoParent()
        .hasKind(SpanKind.CONSUMER)
        .hasInstrumentationScopeInfo(InstrumentationScopeInfo.create("old.camel.library"));
  }

  @Test
  void kindsAndStatusCodes_asIntegersAndNames() throws IOException {
    String[][] cases = {
      {"0", "INTERNAL"},
      {"1", "INTERNAL"},
      {"2", "SERVER"},
      {"3", "CLIENT"},
      {"4", "PRODUCER"},
      {"5", "CONSUMER"},
      {"\"SPAN_KIND_UNSPECIFIED\"", "INTERNAL"},
      {"\"SPAN_KIND_INTERNAL\"", "INTERNAL"},
      {"\"SPAN_KIND_SERVER\"", "SERVER"},
      {"\"SPAN_KIND_CLIENT\"", "CLIENT"},
      {"\"SPAN_KIND_PRODUCER\"", "PRODUCER"},
      {"\"SPAN_KIND_CONSUMER\"", "CONSUMER"}
    };
    for (String[] kindCase : cases) {
      SpanData span = readOne(span("\"kind\": " + kindCase[0]));
      assertThat(span.getKind()).as(kindCase[0]).isEqualTo(SpanKind.valueOf(kindCase[1]));
    }
    String[][] statusCases = {
      {"0", "UNSET"},
      {"1", "OK"},
      {"2", "ERROR"},
      {"\"STATUS_CODE_UNSET\"", "UNSET"},
      {"\"STATUS_CODE_OK\"", "OK"},
      {"\"STATUS_CODE_ERROR\"", "ERROR"}
    };
    for (String[] statusCase : statusCases) {
      SpanData span = readOne(span("\"status\": {\"code\": " + statusCase[0] + "}"));
      assertThat(span.getStatus().getStatusCode())
          .as(statusCase[0])
          .isEqualTo(StatusCode.valueOf(statusCase[1]));
    }
    assertThat(readOne(span("\"kind\": null")).getKind()).isEqualTo(SpanKind.INTERNAL);
  }

  @Test
  void concatenatedPrettyRequests_andEmptyInput() throws IOException {
    String request =
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [\n" + span("") + "\n]}]}]}";
    assertThat(read(request + "\n\n" + request.replace("0000000000000001\"", "0000000000000002\"")))
        .extracting(SpanData::getSpanId)
        .containsExactly("0000000000000001", "0000000000000002");
    assertThat(read("")).isEmpty();
    assertThat(read("  \n\n")).isEmpty();
    assertThat(read("{}")).isEmpty();
    assertThat(read("{\"resourceSpans\": []}\n{\"resourceSpans\": [{\"scopeSpans\": []}]}"))
        .isEmpty();
  }

  @Test
  void unknownFieldsAreIgnored() throws IOException {
    SpanData span =
        readOne(
            span(
                "\"futureField\": {\"x\": [1, 2]}, \"attributes\": [{\"key\": \"k\", \"value\":"
                    + " {\"futureValue\": 1}}]"));
    assertThat(span).hasAttributes(Attributes.of(stringKey("k"), ""));
  }

  @Test
  void gzipCompressedInput() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(request(span("")).getBytes(UTF_8));
    }
    List<SpanData> spans =
        reader.readSpans(new ByteArrayInputStream(compressed.toByteArray()), "traces.json.gz");
    assertThat(spans).extracting(SpanData::getSpanId).containsExactly("0000000000000001");
  }

  @Test
  void notJson_reportsLineAndColumn() {
    assertError("{\"resourceSpans\": [\n  {\"scopeSpans\": [ }\n")
        .isEqualTo(
            "in.json: line 2, column 20: not valid JSON: Unexpected close marker '}': expected ']'"
                + " (for Array starting at [line 2, column 18])");
    assertError(request(span("")) + "\n{\"resourceSpans\": [oops]}\n")
        .startsWith("in.json: line 2, column 25: not valid JSON: Unrecognized token 'oops'");
    assertError("{\"resourceSpans\": [")
        .startsWith("in.json: line 1, column 20: not valid JSON: Unexpected end-of-input");
    assertError("[{\"resourceSpans\": []}]")
        .isEqualTo(
            "in.json: line 1, column 1: expected a JSON object (an ExportTraceServiceRequest),"
                + " found an array");
    assertError("{}\n\"text\"")
        .isEqualTo(
            "in.json: line 2, column 1: expected a JSON object (an ExportTraceServiceRequest),"
                + " found a string");
  }

  @Test
  void wrongShape_reportsThePath() {
    assertError("{\"resourceSpans\": {}}")
        .isEqualTo("in.json: request at line 1: resourceSpans: expected an array, found an object");
    assertError("{\"resourceSpans\": [1]}")
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0]: expected an object, found the number 1");
    assertError("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": \"none\"}]}]}")
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans: expected an array,"
                + " found the string \"none\"");
    assertError(request(span("\"name\": 5")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].name: expected a"
                + " string, found the number 5");
    assertError(request(span("\"attributes\": [{\"value\": {\"stringValue\": \"x\"}}]")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].attributes[0]:"
                + " missing key");
    assertError(
            request(span("\"attributes\": [{\"key\": \"k\", \"value\": {\"intValue\": \"1.5\"}}]")))
        .isEqualTo(
            "in.json: request at line 1:"
                + " resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: expected an"
                + " integer (a number or a decimal string), found the string \"1.5\"");
    assertError(request(span("\"kind\": 9")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].kind: unknown span"
                + " kind (the number 9); expected 0 to 5 or a name such as SPAN_KIND_SERVER");
    assertError(request(span("\"status\": {\"code\": \"STATUS_CODE_BROKEN\"}")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].status.code:"
                + " unknown status code (the string \"STATUS_CODE_BROKEN\"); expected 0 to 2 or a name"
                + " such as STATUS_CODE_ERROR");
  }

  @Test
  void missingIdOrTime_namesTheSpanByPosition() {
    // The span at scopeSpans[1].spans[3] of the request on line 2.
    String spans = String.join(",", span(""), span(""), span(""));
    String broken =
        "{\"traceId\": \"" + TRACE_A + "\", \"startTimeUnixNano\": 1, \"endTimeUnixNano\": 2}";
    String input =
        request(span(""))
            + "\n{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": []}, {\"spans\": ["
            + spans
            + ","
            + broken
            + "]}]}]}\n";
    assertError(input)
        .isEqualTo(
            "in.json: request at line 2: resourceSpans[0].scopeSpans[1].spans[3]: missing spanId");

    assertError(request("{\"spanId\": \"0000000000000001\"}"))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0]: missing traceId");
    assertError(request(span("").replace("\"traceId\": \"" + TRACE_A + "\"", "\"traceId\": \"\"")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0]: missing traceId"
                + " (it is empty)");
    assertError(
            request(
                "{\"traceId\": \""
                    + TRACE_A
                    + "\", \"spanId\": \"0000000000000001\", \"endTimeUnixNano\": 2}"))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0]: missing"
                + " startTimeUnixNano");
    assertError(
            request(
                span("")
                    .replace(
                        "\"startTimeUnixNano\": \"1000\"", "\"startTimeUnixNano\": \"yesterday\"")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano:"
                + " expected an integer (a number or a decimal string), found the string"
                + " \"yesterday\"");
    assertError(
            request(
                span("").replace("\"endTimeUnixNano\": \"2000\"", "\"endTimeUnixNano\": \"999\"")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0]: endTimeUnixNano"
                + " 999 is before startTimeUnixNano 1000; a span cannot end before it starts");
    assertError(
            request(
                span("")
                    .replace(
                        "\"endTimeUnixNano\": \"2000\"",
                        "\"endTimeUnixNano\": \"18446744073709551615\"")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano:"
                + " integer out of range: the string \"18446744073709551615\"");
  }

  @Test
  void badIds_sayWhatIsWrong() {
    assertError(request(span("").replace("0000000000000001", "12345")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].spanId: expected"
                + " 16 hex digits, found \"12345\" (5 characters)");
    assertError(request(span("").replace("0000000000000001", "000000000000000g")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].spanId: expected"
                + " 16 hex digits, found \"000000000000000g\" (16 characters)");
    assertError(request(span("").replace(TRACE_A, TRACE_A + "00")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].traceId: expected"
                + " 32 hex digits, found \"4bf92f3577b34da6a3ce929d0e0e473600\" (34 characters)");
    assertError(request(span("").replace(TRACE_A, "W47/95gDgQPSabYzgT/GDA==")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].traceId: expected"
                + " 32 hex digits, found \"W47/95gDgQPSabYzgT/GDA==\" (24 characters); it looks"
                + " base64-encoded (protobuf's generic JSON mapping), but OTLP/JSON writes trace and"
                + " span ids as hex");
    assertError(request(span("").replace("0000000000000001", "0000000000000000")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].spanId: all zeros"
                + " is not a valid spanId");
    assertError(request(span("\"parentSpanId\": \"xyz\"")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].parentSpanId:"
                + " expected 16 hex digits, found \"xyz\" (3 characters)");
    assertError(request(span("\"links\": [{\"traceId\": \"" + TRACE_A + "\"}]")))
        .isEqualTo(
            "in.json: request at line 1: resourceSpans[0].scopeSpans[0].spans[0].links[0]: missing"
                + " spanId");
  }

  @Test
  void allZeroParentSpanId_meansRoot() throws IOException {
    assertThat(readOne(span("\"parentSpanId\": \"0000000000000000\""))).hasNoParent();
  }

  @Test
  void missingFile_isAnIoException() {
    assertThatThrownBy(() -> reader.readSpans(Path.of("does-not-exist.json")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void exceptionNamesItsSource() {
    assertThatThrownBy(() -> read("nope"))
        .isInstanceOfSatisfying(
            OtlpJsonException.class, e -> assertThat(e.source()).isEqualTo("in.json"));
  }

  private static io.opentelemetry.api.common.AttributeKey<String> stringKey(String key) {
    return io.opentelemetry.api.common.AttributeKey.stringKey(key);
  }

  /** A minimal valid span of TRACE_A with id ...01, from 1000 to 2000 ns, plus {@code extra}. */
  private static String span(String extra) {
    return "{\"traceId\": \""
        + TRACE_A
        + "\", \"spanId\": \"0000000000000001\", \"startTimeUnixNano\": \"1000\","
        + " \"endTimeUnixNano\": \"2000\""
        + (extra.isEmpty() ? "" : ", " + extra)
        + "}";
  }

  private static String request(String span) {
    return "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [" + span + "]}]}]}";
  }

  private SpanData readOne(String span) throws IOException {
    List<SpanData> spans = read(request(span));
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  private List<SpanData> read(String input) throws IOException {
    return reader.readSpans(new ByteArrayInputStream(input.getBytes(UTF_8)), "in.json");
  }

  private org.assertj.core.api.AbstractStringAssert<?> assertError(String input) {
    try {
      read(input);
    } catch (OtlpJsonException e) {
      return assertThat(e.getMessage());
    } catch (IOException e) {
      throw new AssertionError("expected an OtlpJsonException", e);
    }
    throw new AssertionError("expected an OtlpJsonException for: " + input);
  }

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(OtlpJsonTraceReaderTest.class.getResource("/otlpjson/" + name).toURI());
  }
}
