package dev.traceinsights.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void hotPathRatiosAndBytesAreTakenAgainstTheFloorOfTheSameRound() {
    // Round 1: 100 ns floor, 120 ns ours. Round 2: 200 ns floor (a noisy round), 220 ns ours.
    // Per-round ratios 1.20 and 1.10: mean 1.15, although the mean times (150, 170) give 1.13.
    JmhResults round1 =
        results(
            hotPath("bare", "SDK", 100, 6_000, 100, 0),
            hotPath("bare", "INSIGHTS", 120, 10_000, 100, 25));
    JmhResults round2 =
        results(
            hotPath("bare", "SDK", 200, 6_000, 100, 0),
            hotPath("bare", "INSIGHTS", 220, 10_000, 100, 75));

    String report = render(List.of(round1, round2), null);

    assertThat(report)
        .contains("| bare | SDK | 150.0 | floor | 75.0 | floor | 60 | — |")
        .contains(
            "| bare | INSIGHTS | 170.0 | 1.15× (1.10–1.20) | 85.0 | 1.15× (1.10–1.20) | 100 | +40 |"
                + " 150 | 50 % |")
        .contains(
            "Hot path, bare: 1.15× floor — met (target ≤ 1.25× floor) (application thread CPU:"
                + " 1.15× floor — met (target ≤ 1.25× floor)); app thread +40 B/op — met (target ≤"
                + " +64 B/op)");
  }

  @Test
  void aMissedTargetSaysByHowMuch() {
    JmhResults round =
        results(
            hotPath("bare", "SDK", 100, 6_000, 100, 0),
            hotPath("bare", "INSIGHTS", 150, 16_000, 100, 0));

    String report = render(List.of(round), null);

    assertThat(report)
        .contains("1.50× floor — missed by 0.25× floor (20 % over the target ≤ 1.25× floor)")
        .contains("+100 B/op — missed by 36 B/op (56 % over the target ≤ +64 B/op)");
  }

  @Test
  void analysisGrowthIsComparedWithNLogN() {
    // 500 000 spans/s at 10 spans (2 000 ns/span), 250 000 at 10 000 spans (4 000 ns/span):
    // the per-span cost doubled, n log n would allow log(10 000)/log(10) = 4 times.
    JmhResults round =
        results(
            analysis(10, 500_000),
            analysis(100, 450_000),
            analysis(1_000, 400_000),
            analysis(10_000, 250_000));

    String report = render(List.of(round), null);

    assertThat(report)
        .contains("| standard | 10 spans | 500,000 | 2000 | 1.00× | 1.00× |")
        .contains("| standard | 10,000 spans | 250,000 | 4000 | 2.00× | 4.00× |")
        .contains(
            "Analysis, 10-span traces (standard): 500,000 spans/s — missed by 500,000 spans/s (50 %")
        .contains(
            "Analysis, 10 000-span traces (standard): 250,000 spans/s — missed by 50,000 spans/s"
                + " (17 %")
        .contains(
            "per-span cost at 10 000 spans is 2.00× that at 10 spans, n log n allows 4.00× — met");
  }

  @Test
  void samplersAreSetAgainstTheRatioSamplerWithTheSameParent() {
    JmhResults round =
        results(
            sampler("SDK_TRACE_ID_RATIO", "ROOT", 20),
            sampler("SDK_PARENT_BASED_RATIO", "ROOT", 30),
            sampler("SDK_TRACE_ID_RATIO", "REMOTE_SAMPLED", 10),
            sampler("SDK_PARENT_BASED_RATIO", "REMOTE_SAMPLED", 5));

    String report = render(List.of(round), null);

    assertThat(report)
        .contains("| SDK_PARENT_BASED_RATIO | ROOT | 30.0 | 1.50× |")
        .contains("| SDK_PARENT_BASED_RATIO | REMOTE_SAMPLED | 5.0 | 0.50× |")
        .contains("| SDK_TRACE_ID_RATIO | ROOT | 20.0 | baseline |");
  }

  @Test
  void memoryTargetUsesTheWorstRound() throws Exception {
    JsonNode memory =
        JSON.readTree(
            "{\"perBufferedSpan\": ["
                + "{\"round\": 1, \"bufferedSpans\": 1000, \"bytesPerSpanItself\": 700,"
                + " \"bytesPerSpanRetainedByProcessor\": 150, \"bytesPerSpanRetainedByBufferAlone\":"
                + " 20, \"estimatedBytesPerSpan\": 600},"
                + "{\"round\": 2, \"bufferedSpans\": 1000, \"bytesPerSpanItself\": 700,"
                + " \"bytesPerSpanRetainedByProcessor\": 230, \"bytesPerSpanRetainedByBufferAlone\":"
                + " 20, \"estimatedBytesPerSpan\": 600}],"
                + " \"overload\": [{\"capacityMultiple\": 10, \"offeredTraces\": 40960,"
                + " \"retainedHeapBytes\": 31457280, \"bufferedTraces\": 4096, \"bufferedSpans\":"
                + " 36864, \"releasedSpans\": {\"trace_limit\": 331776, \"queue_full\": 0}}]}");

    String report = render(List.of(results(hotPath("bare", "SDK", 100, 1, 1, 0))), memory);

    assertThat(report)
        .contains("| 10× capacity | 40,960 | 30.0 MiB | 4,096 | 36,864 | 331,776 | 0 |")
        .contains("Retained memory per buffered span (worst round): 230 B — missed by 30 B (15 %");
  }

  private static String render(List<JmhResults> rounds, JsonNode memory) {
    return new BenchmarkReport(rounds, memory)
        .render("test machine", Instant.parse("2026-01-01T00:00:00Z"), null);
  }

  private static JmhResults results(ObjectNode... entries) {
    ArrayNode array = JSON.createArrayNode();
    for (ObjectNode entry : entries) {
      array.add(entry);
    }
    return JmhResults.parse(array);
  }

  private static ObjectNode hotPath(
      String shape,
      String pipeline,
      double nanos,
      double appBytes,
      double appOps,
      double queueFull) {
    return entry(
        "dev.traceinsights.benchmarks.hotpath.HotPathBenchmark." + shape,
        Map.of("pipeline", pipeline),
        nanos,
        "ns/op",
        Map.of(
            "appBytes", appBytes,
            "appCpuNanos", nanos * appOps / 2, // half the wall time: the rest waited for a core
            "appOps", appOps,
            "queueFull", queueFull,
            "gc.alloc.rate.norm", appBytes / appOps + 50));
  }

  private static ObjectNode analysis(int spans, double spansPerSecond) {
    return entry(
        "dev.traceinsights.benchmarks.analysis.AnalysisBenchmark.trace" + spans,
        Map.of("level", "standard"),
        spansPerSecond,
        "ops/s",
        Map.of("gc.alloc.rate.norm", 1000.0));
  }

  private static ObjectNode sampler(String sampler, String parent, double nanos) {
    return entry(
        "dev.traceinsights.benchmarks.sampling.SamplerBenchmark.shouldSample",
        Map.of("sampler", sampler, "parent", parent),
        nanos,
        "ns/op",
        Map.of());
  }

  private static ObjectNode entry(
      String benchmark,
      Map<String, String> params,
      double score,
      String unit,
      Map<String, Double> secondary) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("benchmark", benchmark);
    entry.put("jmhVersion", "1.37");
    entry.put("vmName", "Test VM");
    entry.put("vmVersion", "17");
    ObjectNode paramsNode = entry.putObject("params");
    params.forEach(paramsNode::put);
    ObjectNode primary = entry.putObject("primaryMetric");
    primary.put("score", score);
    primary.put("scoreError", "NaN");
    primary.put("scoreUnit", unit);
    ObjectNode secondaryNode = entry.putObject("secondaryMetrics");
    secondary.forEach((name, value) -> secondaryNode.putObject(name).put("score", value));
    return entry;
  }
}
