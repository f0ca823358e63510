package dev.traceinsights.cli;

import static dev.traceinsights.cli.CliRun.fixture;
import static dev.traceinsights.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace-insights analyze} with the real {@code TraceAnalyzer}, on hand-drawn traces whose
 * results are computed by hand below from the analysis semantics (Jaeger UI's critical path, self
 * time = duration minus the union of children, bottleneck = largest own time on the critical path,
 * root cause = deepest errored span without errored descendants).
 */
class AnalyzeEndToEndTest {

  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000;

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String A = "aaaaaaaaaaaa0001";
  private static final String B = "bbbbbbbbbbbb0002";
  private static final String C = "cccccccccccc0003";
  private static final String D = "dddddddddddd0004";
  private static final String E = "eeeeeeeeeeee0005";

  /*
   * checkout-trace.jsonl, trace 4bf92f35...; times in ms after T0 = 1700000000000000000 ns.
   *
   *  ms  0    10   20   30   40   50   60   70   80   90   100
   *      |    |    |    |    |    |    |    |    |    |    |
   *  A   [==================================================]  GET /checkout   SERVER   0-100
   *  B     [==============]                                     GET /inventory  CLIENT   5-35  ERROR
   *  C          [=========]                                     reserve stock   INTERNAL 10-30 ERROR+exception
   *  D                    [=========================]           SELECT orders   CLIENT db 30-80
   *  E                                           [====]         render          INTERNAL 85-95
   *
   *  B and C are children of A and B; D and E children of A.
   *
   *  Critical path, walking back from A's end through the last-finishing child that ends before
   *  the current point (Jaeger UI):
   *    A 95-100  (after E, A's last-finishing child)
   *    E 85-95
   *    A 80-85   (back in A at 85: the last child ending before 85 is D)
   *    D 30-80
   *    A  0-30   (back in A at 30: B ends at 35, not before 30, so no child qualifies)
   *  B and C are off the critical path: D started before B ended.
   *
   *  Self time: A 100 - |[5,80] u [85,95]| = 100 - 85 = 15; B 30 - 20 = 10; C 20; D 50; E 10.
   *  Own time on the critical path: A 5 + 5 + 30 = 40, D 50, E 10, B 0, C 0.
   *  Bottleneck: D (50 > A's 40), category database (db.system).
   *  Root cause: C, the deepest errored span without errored descendants; chain C, B, A.
   */
  @Test
  void checkoutTrace_criticalPathSelfTimesBottleneckRootCause() throws IOException {
    CliRun run = run("analyze", fixture("checkout-trace.jsonl"));

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode traces = new ObjectMapper().readTree(run.out()).get("traces");
    assertThat(traces).hasSize(2);
    JsonNode trace = traces.get(0);
    assertThat(trace.get("traceId").asText()).isEqualTo(TRACE);
    assertThat(trace.get("rootSpanId").asText()).isEqualTo(A);
    assertThat(trace.get("durationNanos").asLong()).isEqualTo(100 * MS);
    assertThat(trace.get("spanCount").asInt()).isEqualTo(5);
    assertThat(trace.get("errorCount").asInt()).isEqualTo(2);
    assertThat(trace.has("allocatedBytes")).isFalse();

    assertThat(sections(trace.get("criticalPath")))
        .containsExactly(
            section(A, 95, 100),
            section(E, 85, 95),
            section(A, 80, 85),
            section(D, 30, 80),
            section(A, 0, 30));
    // Epoch nanoseconds are strings: as numbers they would lose precision above 2^53.
    assertThat(trace.get("criticalPath").get(0).get("startUnixNano").isTextual()).isTrue();
    assertThat(run.out()).contains("\"startUnixNano\":\"1700000000000000000\"");

    Map<String, JsonNode> spans = byId(trace.get("spans"));
    assertThat(spans.keySet()).containsExactly(A, B, D, E, C); // input order
    assertThat(longs(spans, "selfTimeNanos"))
        .containsExactly(15 * MS, 10 * MS, 50 * MS, 10 * MS, 20 * MS);
    assertThat(longs(spans, "criticalPathNanos"))
        .containsExactly(40 * MS, 0L, 50 * MS, 10 * MS, 0L);
    assertThat(texts(spans, "onCriticalPath"))
        .containsExactly("true", "false", "true", "true", "false");
    assertThat(texts(spans, "error")).containsExactly("false", "true", "false", "false", "true");
    assertThat(longs(spans, "depth")).containsExactly(1L, 2L, 2L, 2L, 3L);
    assertThat(longs(spans, "childCount")).containsExactly(3L, 1L, 0L, 0L, 0L);
    assertThat(spans.get(A).get("parentSpanId").isNull()).isTrue();
    assertThat(spans.get(C).get("parentSpanId").asText()).isEqualTo(B);
    assertThat(spans.get(D).get("kind").asText()).isEqualTo("CLIENT");
    assertThat(spans.get(D).get("startUnixNano").asText()).isEqualTo(Long.toString(T0 + 30 * MS));

    assertThat(texts(trace.get("bottleneckSpanIds"))).containsExactly(D);
    JsonNode bottleneck = trace.get("bottlenecks").get(0);
    assertThat(bottleneck.get("name").asText()).isEqualTo("SELECT orders");
    assertThat(bottleneck.get("category").asText()).isEqualTo("database");
    assertThat(bottleneck.get("criticalPathNanos").asLong()).isEqualTo(50 * MS);
    assertThat(bottleneck.get("selfTimeNanos").asLong()).isEqualTo(50 * MS);

    assertThat(trace.get("rootCauseSpanId").asText()).isEqualTo(C);
    JsonNode rootCause = trace.get("rootCause");
    assertThat(rootCause.get("name").asText()).isEqualTo("reserve stock");
    assertThat(texts(rootCause.get("chain"))).containsExactly(C, B, A);
    assertThat(rootCause.get("errorType").asText()).isEqualTo("shop.OutOfStockException");
    assertThat(rootCause.get("message").asText()).isEqualTo("sku 42 out of stock");
    assertThat(rootCause.get("fingerprint").asText())
        .isEqualTo(spans.get(C).get("errorFingerprint").asText());

    JsonNode shape = trace.get("shape");
    assertThat(shape.get("depth").asInt()).isEqualTo(3);
    assertThat(shape.get("depthStatus").asText()).isEqualTo("ok");
    assertThat(shape.get("maxFanOut").asInt()).isEqualTo(3);
    assertThat(shape.get("maxFanOutSpanId").asText()).isEqualTo(A);
    assertThat(shape.get("fanOutStatus").asText()).isEqualTo("ok");
    assertThat(trace.get("nPlusOne")).isEmpty();

    // The second trace, first seen on line 2: one 2 ms span, all of it on the critical path.
    JsonNode health = traces.get(1);
    assertThat(health.get("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(sections(health.get("criticalPath")))
        .containsExactly(section("ffffffffffff0006", 20, 22));
    assertThat(texts(health.get("bottleneckSpanIds"))).containsExactly("ffffffffffff0006");
    assertThat(health.get("rootCauseSpanId").isNull()).isTrue();
  }

  @Test
  void depthThresholds_fromTheCommandLine() throws IOException {
    // The checkout trace is 3 levels deep: above a warning at 2, not above a critical at 3.
    assertThat(depthStatus("--depth-warning", "2", "--depth-critical", "3")).isEqualTo("warning");
    assertThat(depthStatus("--depth-warning", "1", "--depth-critical", "2")).isEqualTo("critical");
    assertThat(depthStatus()).isEqualTo("ok");
  }

  /*
   * n-plus-one.json: GET /cart (0-40 ms) runs "SELECT * FROM items WHERE id = ?" three times,
   * at 5-10, 15-20 and 25-30 ms, each a direct child. Below the default threshold (5); at 3 it
   * is an N+1.
   */
  @Test
  void nPlusOne_thresholdFromTheCommandLine() throws IOException {
    CliRun byDefault = run("analyze", fixture("n-plus-one.json"));
    assertThat(byDefault.exitCode()).isEqualTo(0);
    assertThat(firstTrace(byDefault).get("nPlusOne")).isEmpty();

    CliRun atThree = run("analyze", "--n-plus-one-threshold", "3", fixture("n-plus-one.json"));
    assertThat(atThree.exitCode()).isEqualTo(0);
    JsonNode nPlusOne = firstTrace(atThree).get("nPlusOne");
    assertThat(nPlusOne).hasSize(1);
    assertThat(nPlusOne.get(0).get("parentSpanId").asText()).isEqualTo("2000000000000001");
    assertThat(nPlusOne.get(0).get("count").asInt()).isEqualTo(3);
    assertThat(texts(nPlusOne.get(0).get("spanIds")))
        .containsExactly("2000000000000002", "2000000000000003", "2000000000000004");
    assertThat(nPlusOne.get(0).get("statement").asText()).containsIgnoringCase("from items");
  }

  /* cycle.json: 1000000000000002's parent is 1000000000000003 and the other way round. */
  @Test
  void cycleInParentLinks_withStrict_oneErrorLineNamingFileTraceAndSpans_exit3() {
    String file = fixture("cycle.json");

    CliRun run = run("analyze", "--strict", file);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("error: " + file + ": trace 11111111111111111111111111111111: ")
        .containsIgnoringCase("cycle")
        .contains("1000000000000002", "1000000000000003")
        .doesNotContain("\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void exactDuplicatesFromARetryAreRemovedWithANote(@TempDir Path dir) throws IOException {
    // The checkout file twice over, as an exporter that retried every batch would leave it.
    String once = Files.readString(Path.of(fixture("checkout-trace.jsonl")));
    Path twice = Files.writeString(dir.resolve("retried.jsonl"), once + once);

    CliRun single = run("analyze", fixture("checkout-trace.jsonl"));
    CliRun run = run("analyze", twice.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .isEqualTo(
            "note: removed 6 exact duplicate spans (sent twice) in 2 traces, e.g. trace "
                + "4bf92f3577b34da6a3ce929d0e0e4736\n");
    assertThat(run.out()).isEqualTo(single.out());
  }

  @Test
  void aTraceWithConflictingSpansIsSkippedAndTheRestAnalysed(@TempDir Path dir) throws IOException {
    // The checkout trace, plus a span that reuses the root's id under another name.
    String checkout = Files.readString(Path.of(fixture("checkout-trace.jsonl")));
    String conflicting =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
            + "\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"aaaaaaaaaaaa0001\","
            + "\"name\":\"GET /other\",\"startTimeUnixNano\":\"1700000000000000000\","
            + "\"endTimeUnixNano\":\"1700000000100000000\"}]}]}]}\n";
    Path file = Files.writeString(dir.resolve("conflict.jsonl"), checkout + conflicting);

    CliRun run = run("analyze", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .startsWith(
            "note: "
                + file
                + ": trace 4bf92f3577b34da6a3ce929d0e0e4736: skipped: duplicate span id"
                + " aaaaaaaaaaaa0001");
    JsonNode traces = new ObjectMapper().readTree(run.out()).get("traces");
    assertThat(traces).hasSize(1);
    assertThat(traces.get(0).get("traceId").asText())
        .isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

    assertThat(run("analyze", "--strict", file.toString()).exitCode()).isEqualTo(ExitCodes.INPUT);
  }

  @Test
  void aTraceWithAnOrphanSubtreeIsMarkedIncomplete(@TempDir Path dir) throws IOException {
    String orphan =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
            + "{\"traceId\":\"22222222222222222222222222222222\",\"spanId\":\"2000000000000001\","
            + "\"name\":\"GET /a\",\"startTimeUnixNano\":\"1700000000000000000\","
            + "\"endTimeUnixNano\":\"1700000000100000000\"},"
            + "{\"traceId\":\"22222222222222222222222222222222\",\"spanId\":\"2000000000000009\","
            + "\"parentSpanId\":\"2000000000000005\",\"name\":\"SELECT\","
            + "\"startTimeUnixNano\":\"1700000000010000000\","
            + "\"endTimeUnixNano\":\"1700000000020000000\"}]}]}]}\n";
    Path file = Files.writeString(dir.resolve("partial.json"), orphan);

    JsonNode trace = firstTrace(run("analyze", file.toString()));

    assertThat(trace.get("incomplete").asBoolean()).isTrue();
    assertThat(texts(trace.get("orphanSpanIds"))).containsExactly("2000000000000009");
  }

  @Test
  void jsonNestedBeyondTheLimit_oneLineNamingTheLimit_exit3(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("deep.json"),
            "{\"resourceSpans\":" + "[".repeat(1_500) + "]".repeat(1_500) + "}\n");

    CliRun run = run("analyze", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + file
                + ": JSON nested deeper than the reader's limit of 1000 levels; OTLP-JSON needs a"
                + " few dozen: is this a trace export?\n");
  }

  @Test
  void dashReadsStandardInput() throws IOException {
    InputStream original = System.in;
    try (InputStream in = Files.newInputStream(Path.of(fixture("checkout-trace.jsonl")))) {
      System.setIn(in);
      CliRun run = run("analyze", "-");
      assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(new ObjectMapper().readTree(run.out()).get("traces")).hasSize(2);
    } finally {
      System.setIn(original);
    }
  }

  private static String depthStatus(String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("analyze"));
    args.addAll(List.of(options));
    args.add(fixture("checkout-trace.jsonl"));
    CliRun run = run(args.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(0);
    return firstTrace(run).get("shape").get("depthStatus").asText();
  }

  private static JsonNode firstTrace(CliRun run) throws IOException {
    return new ObjectMapper().readTree(run.out()).get("traces").get(0);
  }

  private static List<String> sections(JsonNode criticalPath) {
    List<String> sections = new ArrayList<>();
    for (JsonNode section : criticalPath) {
      sections.add(
          section.get("spanId").asText()
              + " "
              + section.get("startUnixNano").asText()
              + "-"
              + section.get("endUnixNano").asText());
    }
    return sections;
  }

  private static String section(String spanId, long startMs, long endMs) {
    return spanId + " " + (T0 + startMs * MS) + "-" + (T0 + endMs * MS);
  }

  private static Map<String, JsonNode> byId(JsonNode spans) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode span : spans) {
      byId.put(span.get("spanId").asText(), span);
    }
    return byId;
  }

  private static List<Long> longs(Map<String, JsonNode> spans, String field) {
    return spans.values().stream().map(span -> span.get(field).asLong()).toList();
  }

  private static List<String> texts(Map<String, JsonNode> spans, String field) {
    return spans.values().stream().map(span -> span.get(field).asText()).toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(element -> texts.add(element.asText()));
    return texts;
  }
}
