package dev.traceinsights.cli;

import static dev.traceinsights.cli.CliRun.run;
import static dev.traceinsights.compare.TestTraces.shopRun;
import static dev.traceinsights.compare.TestTraces.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traceinsights.compare.TestTraces;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace-insights compare} end to end, on OTLP-JSON files of a shop run ({@link
 * TestTraces#shopRun}: 150 inventory-report traces with a SELECT child, 150 cart traces), the
 * baseline and the run drawn with different seeds.
 */
class CompareCommandTest {

  private static final int TRACES = 150;

  @TempDir Path dir;
  private Path baseline;
  private Path sameRun;
  private Path slowRun;

  @BeforeEach
  void writeRuns() throws IOException {
    baseline = write(dir.resolve("baseline.json"), shopRun(1, TRACES, 1.0));
    sameRun = write(dir.resolve("same.json"), shopRun(2, TRACES, 1.0));
    slowRun = write(dir.resolve("slow.json"), shopRun(3, TRACES, 1.3));
  }

  @Test
  void reportThirtyPercentSlower_failOnMedium_exit1_withReportAndJson() throws IOException {
    Path json = dir.resolve("report.json");
    Path markdown = dir.resolve("report.md");

    CliRun run =
        run(
            "compare",
            "--baseline",
            baseline.toString(),
            "--run",
            slowRun.toString(),
            "--fail-on",
            "medium",
            "--markdown",
            markdown.toString(),
            "--json",
            json.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .startsWith(
            "# Trace Insights: run compared with baseline\n\n**Result: fail**: 1 regression")
        .contains("## Regressions (1)")
        .containsPattern(
            "\\| medium \\| GET /shop/inventory-report \\(server, frontend\\) \\| 3\\d\\d ms → 3\\d\\d"
                + " ms \\|")
        .contains("## New bottlenecks (1)")
        .contains("| GET /shop/inventory-report (server, frontend) | 50 % (150 of 300) |")
        .contains("## Improvements (0)");
    assertThat(Files.readString(markdown)).isEqualTo(run.out());

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("format").asText()).isEqualTo("trace-insights-compare/1");
    assertThat(report.get("result").asText()).isEqualTo("fail");
    assertThat(report.get("failOn").asText()).isEqualTo("medium");
    assertThat(report.get("baseline").get("traces").asInt()).isEqualTo(2 * TRACES);
    assertThat(report.get("regressions")).hasSize(1);
    JsonNode regression = report.get("regressions").get(0);
    assertThat(regression.get("severity").asText()).isEqualTo("medium");
    assertThat(regression.get("operation").asText()).isEqualTo("GET /shop/inventory-report");
    assertThat(regression.get("service").asText()).isEqualTo("frontend");
    assertThat(regression.get("spanKind").asText()).isEqualTo("server");
    JsonNode evidence = regression.get("evidence");
    assertThat(evidence.get("p50.change_percent").asDouble()).isBetween(27.0, 33.0);
    assertThat(evidence.get("p_value_adjusted").asDouble()).isLessThan(1e-10);
    assertThat(evidence.get("baseline.count").asInt()).isEqualTo(TRACES);
    assertThat(evidence.get("current.count").asInt()).isEqualTo(TRACES);
    assertThat(evidence.get("effect_size").asDouble()).isGreaterThan(0.9);
    assertThat(regression.get("exampleTraceIds")).hasSize(3);
    assertThat(report.get("improvements")).isEmpty();
    assertThat(report.get("newBottlenecks")).hasSize(1);
    assertThat(report.get("newBottlenecks").get(0).get("runTraces").asInt()).isEqualTo(TRACES);
    assertThat(report.get("skipped").get("tested").asInt()).isEqualTo(3);
    assertThat(report.get("newOperations")).isEmpty();
    assertThat(report.get("vanishedOperations")).isEmpty();
  }

  @Test
  void sameSlowdown_failOnHighByDefault_exit0() {
    CliRun explicit =
        run(
            "compare",
            "--baseline",
            baseline.toString(),
            "--run",
            slowRun.toString(),
            "--fail-on",
            "HIGH");
    CliRun byDefault =
        run("compare", "--baseline", baseline.toString(), "--run", slowRun.toString());

    for (CliRun run : List.of(explicit, byDefault)) {
      assertThat(run.exitCode()).isEqualTo(0);
      assertThat(run.out())
          .contains("**Result: pass**: no regression at or above `high`.")
          .contains("## Regressions (1)")
          .contains("| medium | GET /shop/inventory-report");
    }
  }

  @Test
  void sameDistribution_exit0_nothingFound() {
    CliRun run =
        run(
            "compare",
            "--baseline",
            baseline.toString(),
            "--run",
            sameRun.toString(),
            "--fail-on",
            "low");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out())
        .contains("**Result: pass**")
        .contains("## Regressions (0)\n\nNone.")
        .contains("## Improvements (0)\n\nNone.")
        .contains("## New bottlenecks (0)\n\nNone.")
        .contains("- 3 operations compared; 0 with too few durations");
  }

  @Test
  void baselineFile_fromTheBaselineCommand_sameVerdict() throws IOException {
    Path file = dir.resolve("shop-baseline.json");
    CliRun recorded = run("baseline", baseline.toString(), "-o", file.toString());
    assertThat(recorded.exitCode()).isEqualTo(0);

    CliRun medium =
        run(
            "compare",
            "--baseline",
            file.toString(),
            "--run",
            slowRun.toString(),
            "--fail-on",
            "medium");
    CliRun same =
        run(
            "compare",
            "--baseline",
            file.toString(),
            "--run",
            sameRun.toString(),
            "--fail-on",
            "low");

    assertThat(medium.exitCode()).isEqualTo(1);
    assertThat(medium.out())
        .contains("| medium | GET /shop/inventory-report")
        .contains("Not compared: the baseline is a baseline file");
    assertThat(same.exitCode()).isEqualTo(0);
  }

  @Test
  void newAndVanishedOperations_listed() throws IOException {
    List<SpanData> spans = new ArrayList<>(shopRun(2, TRACES, 1.0));
    spans.removeIf(span -> span.getName().equals("GET /shop/cart"));
    for (int i = 0; i < 30; i++) {
      long start = TestTraces.T0 + i * TestTraces.MS;
      spans.add(
          TestTraces.span(
              "frontend",
              TestTraces.traceId(77, i),
              TestTraces.spanId(i, 0),
              null,
              "GET /shop/wishlist",
              SpanKind.SERVER,
              start,
              start + 20 * TestTraces.MS,
              false));
    }
    Path changed = write(dir.resolve("changed.json"), spans);

    CliRun run = run("compare", "--baseline", baseline.toString(), "--run", changed.toString());

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out())
        .contains("## New operations (1)\n\n- GET /shop/wishlist (server, frontend): 30 calls")
        .contains("## Vanished operations (1)\n\n- GET /shop/cart (server, frontend): 150 calls");
  }

  @Test
  void usageErrors_exit2() {
    CliRun noRun = run("compare", "--baseline", baseline.toString());
    CliRun badSeverity =
        run(
            "compare",
            "--baseline",
            baseline.toString(),
            "--run",
            sameRun.toString(),
            "--fail-on",
            "urgent");
    CliRun badFdr =
        run(
            "compare",
            "--baseline",
            baseline.toString(),
            "--run",
            sameRun.toString(),
            "--fdr",
            "2");

    assertThat(noRun.exitCode()).isEqualTo(2);
    assertThat(noRun.err()).contains("Missing required option: '--run=<file>'");
    assertThat(badSeverity.exitCode()).isEqualTo(2);
    assertThat(badSeverity.err()).contains("expected low, medium, high or critical, was 'urgent'");
    assertThat(badFdr.exitCode()).isEqualTo(2);
    assertThat(badFdr.err()).contains("--fdr must be in (0, 1), was 2.0");
  }

  @Test
  void baselineFileMixedWithTraces_usageError_exit2() throws IOException {
    Path file = dir.resolve("shop-baseline.json");
    assertThat(run("baseline", baseline.toString(), "-o", file.toString()).exitCode()).isZero();

    CliRun run =
        run(
            "compare",
            "--baseline",
            file.toString(),
            baseline.toString(),
            "--run",
            sameRun.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--baseline takes one baseline file, or OTLP-JSON trace files");
  }

  @Test
  void standardInputForBothSides_usageError_exit2() {
    CliRun run = run("compare", "--baseline", "-", "--run", "-");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("standard input (-) can be read once");
  }

  @Test
  void emptyRun_failsTheGateWithItsOwnExitCode() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.json"), "");
    Path notOtlp = Files.writeString(dir.resolve("not-otlp.json"), "{\"rows\": [1, 2, 3]}\n");
    Path json = dir.resolve("report.json");

    CliRun emptyRun =
        run(
            "compare",
            "--baseline",
            baseline.toString(),
            "--run",
            empty.toString(),
            "--fail-on",
            "low",
            "--json",
            json.toString());
    CliRun notOtlpRun =
        run("compare", "--baseline", baseline.toString(), "--run", notOtlp.toString());

    for (CliRun run : List.of(emptyRun, notOtlpRun)) {
      assertThat(run.exitCode()).isEqualTo(ExitCodes.NO_DATA);
      assertThat(run.out())
          .contains("**Result: no data**: nothing was compared: the run has no spans.")
          .doesNotContain("Result: pass");
      assertThat(run.err()).endsWith("error: nothing compared: the run has no spans\n");
    }
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("result").asText()).isEqualTo("no-data");
    assertThat(report.get("nothingCompared").asText()).isEqualTo("the run has no spans");
  }

  @Test
  void emptyBaselineOrNoOperationInCommon_failsTheGate() throws IOException {
    Path emptyBaseline = Files.writeString(dir.resolve("empty-baseline.json"), "{}");
    List<SpanData> otherService = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long start = TestTraces.T0 + i * TestTraces.MS;
      otherService.add(
          TestTraces.span(
              "billing",
              TestTraces.traceId(78, i),
              TestTraces.spanId(i, 0),
              null,
              "POST /invoices",
              SpanKind.SERVER,
              start,
              start + 20 * TestTraces.MS,
              false));
    }
    Path other = write(dir.resolve("other.json"), otherService);

    CliRun noBaseline =
        run("compare", "--baseline", emptyBaseline.toString(), "--run", sameRun.toString());
    CliRun nothingInCommon =
        run("compare", "--baseline", baseline.toString(), "--run", other.toString());

    assertThat(noBaseline.exitCode()).isEqualTo(ExitCodes.NO_DATA);
    assertThat(noBaseline.err())
        .contains("error: nothing compared: the baseline has no operations");
    assertThat(nothingInCommon.exitCode()).isEqualTo(ExitCodes.NO_DATA);
    assertThat(nothingInCommon.err())
        .contains("error: nothing compared: no operation of the run (1) is in the baseline (3)");
  }

  @Test
  void unreadableInputs_oneErrorLineNamingTheFile_exit3() throws IOException {
    Path missing = dir.resolve("missing.json");
    Path corrupt =
        Files.writeString(
            dir.resolve("corrupt-baseline.json"), "{\"format\": \"trace-insights-baseline/9\"}");

    CliRun noFile = run("compare", "--baseline", baseline.toString(), "--run", missing.toString());
    CliRun badBaseline =
        run("compare", "--baseline", corrupt.toString(), "--run", sameRun.toString());

    assertThat(noFile.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(noFile.err()).isEqualTo("error: " + missing + ": no such file\n");
    assertThat(noFile.out()).isEmpty();
    assertThat(badBaseline.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(badBaseline.err())
        .startsWith("error: " + corrupt + ": unsupported format \"trace-insights-baseline/9\"");
    assertThat(badBaseline.err().lines()).hasSize(1);
  }
}
