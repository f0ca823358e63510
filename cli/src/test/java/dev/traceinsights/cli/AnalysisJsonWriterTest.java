package dev.traceinsights.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.analysis.CriticalPathSection;
import dev.traceinsights.analysis.ErrorGroup;
import dev.traceinsights.analysis.NPlusOne;
import dev.traceinsights.analysis.RootCause;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.ThresholdStatus;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceShape;
import dev.traceinsights.analysis.TraceTotals;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON document of {@code analyze}, from analyses built by hand. */
class AnalysisJsonWriterTest {

  private static final long T0 = 1_700_000_000_000_000_000L; // above 2^53
  private static final long MS = 1_000_000;

  @Test
  void fullAnalysis_exactDocument() throws IOException {
    TraceAnalysis analysis =
        new TraceAnalysis(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "aaaaaaaaaaaa0001",
            List.of(
                new SpanAnalysis(
                    "aaaaaaaaaaaa0001",
                    null,
                    "GET /cart",
                    SpanKind.SERVER,
                    T0,
                    T0 + 40 * MS,
                    25 * MS,
                    25 * MS,
                    1,
                    3,
                    true,
                    "fp-1",
                    4096),
                new SpanAnalysis(
                    "bbbbbbbbbbbb0002",
                    "aaaaaaaaaaaa0001",
                    "SELECT items",
                    SpanKind.CLIENT,
                    T0 + 5 * MS,
                    T0 + 10 * MS,
                    5 * MS,
                    5 * MS,
                    2,
                    0,
                    false,
                    null,
                    TraceTotals.NOT_MEASURED)),
            List.of(
                new CriticalPathSection("aaaaaaaaaaaa0001", T0 + 10 * MS, T0 + 40 * MS),
                new CriticalPathSection("bbbbbbbbbbbb0002", T0 + 5 * MS, T0 + 10 * MS),
                new CriticalPathSection("aaaaaaaaaaaa0001", T0, T0 + 5 * MS)),
            List.of(
                new Bottleneck(
                    "aaaaaaaaaaaa0001",
                    "GET /cart",
                    BottleneckCategory.INTERNAL,
                    35 * MS,
                    35 * MS)),
            new RootCause(
                "aaaaaaaaaaaa0001",
                "GET /cart",
                List.of("aaaaaaaaaaaa0001"),
                "fp-1",
                "java.lang.IllegalStateException",
                "cart \"closed\""),
            List.of(
                new ErrorGroup("fp-1", "java.lang.IllegalStateException", 1, "aaaaaaaaaaaa0001")),
            List.of(
                new NPlusOne(
                    "aaaaaaaaaaaa0001",
                    "SELECT * FROM items WHERE id = ?",
                    List.of("bbbbbbbbbbbb0002", "cccccccccccc0003"))),
            new TraceShape(2, ThresholdStatus.OK, 3, "aaaaaaaaaaaa0001", ThresholdStatus.WARNING),
            new TraceTotals(40 * MS, 2, 1, 4096),
            List.of("dddddddddddd0004"));

    String json = write(List.of(analysis), false);

    assertThat(json)
        .isEqualTo(
            "{\"traces\":[{"
                + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"rootSpanId\":\"aaaaaaaaaaaa0001\","
                + "\"incomplete\":true,"
                + "\"orphanSpanIds\":[\"dddddddddddd0004\"],"
                + "\"durationNanos\":40000000,\"spanCount\":2,\"errorCount\":1,"
                + "\"allocatedBytes\":4096,"
                + "\"criticalPath\":["
                + "{\"spanId\":\"aaaaaaaaaaaa0001\",\"startUnixNano\":\"1700000000010000000\","
                + "\"endUnixNano\":\"1700000000040000000\"},"
                + "{\"spanId\":\"bbbbbbbbbbbb0002\",\"startUnixNano\":\"1700000000005000000\","
                + "\"endUnixNano\":\"1700000000010000000\"},"
                + "{\"spanId\":\"aaaaaaaaaaaa0001\",\"startUnixNano\":\"1700000000000000000\","
                + "\"endUnixNano\":\"1700000000005000000\"}],"
                + "\"bottleneckSpanIds\":[\"aaaaaaaaaaaa0001\"],"
                + "\"bottlenecks\":[{\"spanId\":\"aaaaaaaaaaaa0001\",\"name\":\"GET /cart\","
                + "\"category\":\"internal\",\"criticalPathNanos\":35000000,"
                + "\"selfTimeNanos\":35000000}],"
                + "\"rootCauseSpanId\":\"aaaaaaaaaaaa0001\","
                + "\"rootCause\":{\"spanId\":\"aaaaaaaaaaaa0001\",\"name\":\"GET /cart\","
                + "\"chain\":[\"aaaaaaaaaaaa0001\"],\"fingerprint\":\"fp-1\","
                + "\"errorType\":\"java.lang.IllegalStateException\","
                + "\"message\":\"cart \\\"closed\\\"\"},"
                + "\"errorGroups\":[{\"fingerprint\":\"fp-1\","
                + "\"errorType\":\"java.lang.IllegalStateException\",\"count\":1,"
                + "\"exampleSpanId\":\"aaaaaaaaaaaa0001\"}],"
                + "\"nPlusOne\":[{\"parentSpanId\":\"aaaaaaaaaaaa0001\",\"kind\":\"query\","
                + "\"statement\":\"SELECT * FROM items WHERE id = ?\",\"via\":[],\"count\":2,"
                + "\"remedy\":\""
                + NPlusOne.Kind.QUERY.remedy()
                + "\","
                + "\"spanIds\":[\"bbbbbbbbbbbb0002\",\"cccccccccccc0003\"]}],"
                + "\"shape\":{\"depth\":2,\"depthStatus\":\"ok\",\"maxFanOut\":3,"
                + "\"maxFanOutSpanId\":\"aaaaaaaaaaaa0001\",\"fanOutStatus\":\"warning\"},"
                + "\"spans\":["
                + "{\"spanId\":\"aaaaaaaaaaaa0001\",\"parentSpanId\":null,\"name\":\"GET /cart\","
                + "\"kind\":\"SERVER\",\"startUnixNano\":\"1700000000000000000\","
                + "\"endUnixNano\":\"1700000000040000000\",\"selfTimeNanos\":25000000,"
                + "\"criticalPathNanos\":25000000,\"onCriticalPath\":true,\"depth\":1,"
                + "\"childCount\":3,\"error\":true,\"errorFingerprint\":\"fp-1\","
                + "\"allocatedBytes\":4096},"
                + "{\"spanId\":\"bbbbbbbbbbbb0002\",\"parentSpanId\":\"aaaaaaaaaaaa0001\","
                + "\"name\":\"SELECT items\",\"kind\":\"CLIENT\","
                + "\"startUnixNano\":\"1700000000005000000\","
                + "\"endUnixNano\":\"1700000000010000000\",\"selfTimeNanos\":5000000,"
                + "\"criticalPathNanos\":5000000,\"onCriticalPath\":true,\"depth\":2,"
                + "\"childCount\":0,\"error\":false,\"errorFingerprint\":null}]"
                + "}]}\n");
  }

  @Test
  void nothingFound_nullsAndEmptyArrays_noAllocatedBytes() throws IOException {
    TraceAnalysis analysis =
        new TraceAnalysis(
            "0af7651916cd43dd8448eb211c80319c",
            "ffffffffffff0006",
            List.of(
                new SpanAnalysis(
                    "ffffffffffff0006",
                    null,
                    "GET /health",
                    SpanKind.SERVER,
                    T0,
                    T0 + 2 * MS,
                    2 * MS,
                    2 * MS,
                    1,
                    0,
                    false,
                    null,
                    TraceTotals.NOT_MEASURED)),
            List.of(new CriticalPathSection("ffffffffffff0006", T0, T0 + 2 * MS)),
            List.of(),
            null,
            List.of(),
            List.of(),
            new TraceShape(1, ThresholdStatus.OK, 0, null, ThresholdStatus.OK),
            new TraceTotals(2 * MS, 1, 0, TraceTotals.NOT_MEASURED),
            List.of());

    JsonNode trace =
        new ObjectMapper().readTree(write(List.of(analysis), false)).get("traces").get(0);

    assertThat(trace.has("allocatedBytes")).isFalse();
    assertThat(trace.get("spans").get(0).has("allocatedBytes")).isFalse();
    assertThat(trace.get("rootCauseSpanId").isNull()).isTrue();
    assertThat(trace.get("rootCause").isNull()).isTrue();
    assertThat(trace.get("bottleneckSpanIds").isEmpty()).isTrue();
    assertThat(trace.get("errorGroups").isEmpty()).isTrue();
    assertThat(trace.get("nPlusOne").isEmpty()).isTrue();
    assertThat(trace.get("shape").get("maxFanOutSpanId").isNull()).isTrue();
  }

  @Test
  void pretty_sameDocumentIndented() throws IOException {
    String pretty = write(List.of(), true);
    assertThat(pretty).isEqualTo("{\n  \"traces\" : [ ]\n}\n");
    assertThat(write(List.of(), false)).isEqualTo("{\"traces\":[]}\n");
  }

  private static String write(List<TraceAnalysis> analyses, boolean pretty) throws IOException {
    StringWriter out = new StringWriter();
    AnalysisJsonWriter.write(analyses, out, pretty);
    return out.toString();
  }
}
