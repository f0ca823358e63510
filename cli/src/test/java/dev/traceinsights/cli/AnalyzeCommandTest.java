package dev.traceinsights.cli;

import static dev.traceinsights.cli.CliRun.analyzingWith;
import static dev.traceinsights.cli.CliRun.fixture;
import static dev.traceinsights.cli.CliRun.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.analysis.InvalidTraceException;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.ThresholdStatus;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceShape;
import dev.traceinsights.analysis.TraceTotals;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace-insights analyze} run in process: bad input, usage errors and the plumbing around
 * the analysis. Where a test needs a particular analysis outcome it stands in for the analysis; the
 * real analyzer's results are checked in {@link AnalyzeEndToEndTest}.
 */
class AnalyzeCommandTest {

  private static final String CHECKOUT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String HEALTH_TRACE = "0af7651916cd43dd8448eb211c80319c";

  @TempDir Path dir;

  @Test
  void notJson_oneErrorLineWithFileLineAndColumn_exit3() {
    String file = fixture("not-json.json");

    CliRun run = run("analyze", file);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + file
                + ": line 2, column 20: not valid JSON: Unexpected close marker '}': expected ']'"
                + " (for Array starting at [line 2, column 18])\n");
  }

  @Test
  void wrongShape_namesThePath_exit3() throws IOException {
    Path file = write("shape.json", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": {}}]}]}");

    CliRun run = run("analyze", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + file
                + ": request at line 1: resourceSpans[0].scopeSpans[0].spans: expected an array,"
                + " found an object\n");
  }

  @Test
  void missingSpanId_namesLineAndSpan_exit3() throws IOException {
    Path file =
        write(
            "missing-id.jsonl",
            "{\"resourceSpans\": []}\n"
                + "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \""
                + CHECKOUT_TRACE
                + "\", \"name\": \"no id\"}]}]}]}\n");

    CliRun run = run("analyze", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + file
                + ": request at line 2: resourceSpans[0].scopeSpans[0].spans[0]: missing spanId\n");
  }

  @Test
  void badId_saysWhatIsWrong_exit3() throws IOException {
    Path file =
        write(
            "bad-id.json",
            "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"xyz\","
                + " \"spanId\": \"0000000000000001\"}]}]}]}");

    CliRun run = run("analyze", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + file
                + ": request at line 1: resourceSpans[0].scopeSpans[0].spans[0].traceId: expected"
                + " 32 hex digits, found \"xyz\" (3 characters)\n");
  }

  @Test
  void missingFile_exit3() {
    Path file = dir.resolve("nowhere.json");

    CliRun run = run("analyze", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err()).isEqualTo("error: " + file + ": no such file\n");
  }

  @Test
  void directory_exit3() {
    CliRun run = run("analyze", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err())
        .isEqualTo("error: " + dir + ": is a directory, expected an OTLP-JSON file\n");
  }

  @Test
  void unreadableFile_exit3() throws IOException {
    Path file = write("secret.json", "{}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions do not apply");

    CliRun run = run("analyze", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err()).isEqualTo("error: " + file + ": permission denied\n");
  }

  @Test
  void noSpans_aNoteAndNoData_exit4() {
    String file = fixture("empty.json");

    CliRun run = run("analyze", file);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NO_DATA);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "note: "
                + file
                + ": no spans found (expected OTLP-JSON: ExportTraceServiceRequest objects with"
                + " resourceSpans)\n"
                + "error: nothing analysed: no spans in "
                + file
                + "\n");
  }

  @Test
  void output_writesTheFileInsteadOfStdout() throws IOException {
    Path output = dir.resolve("analysis.json");

    CliRun run =
        run(
            analyzingWith((settings, spans) -> minimalAnalysis(spans)),
            "analyze",
            "--output",
            output.toString(),
            fixture("checkout-part1.json"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEmpty();
    assertThat(Files.readString(output, UTF_8))
        .startsWith("{\"traces\":[{\"traceId\":\"" + CHECKOUT_TRACE + "\"");
  }

  @Test
  void output_inAMissingDirectory_exit3() {
    Path output = dir.resolve("no/such/dir/analysis.json");

    CliRun run =
        run(
            analyzingWith((settings, spans) -> minimalAnalysis(spans)),
            "analyze",
            "-o",
            output.toString(),
            fixture("checkout-part1.json"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err()).endsWith("error: " + output + ": cannot write: no such directory\n");
  }

  @Test
  void usageErrors_exit2WithPicocliUsage() {
    CliRun noFile = run("analyze");
    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.err())
        .startsWith("Missing required parameter: '<file>'\nUsage: trace-insights analyze ");

    CliRun noCommand = run();
    assertThat(noCommand.exitCode()).isEqualTo(2);
    assertThat(noCommand.err()).startsWith("Missing required subcommand\nUsage: trace-insights ");

    CliRun unknownOption = run("analyze", "--bogus", fixture("empty.json"));
    assertThat(unknownOption.exitCode()).isEqualTo(2);
    assertThat(unknownOption.err()).startsWith("Unknown option: '--bogus'\nUsage:");

    CliRun notANumber = run("analyze", "--depth-warning", "deep", fixture("empty.json"));
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err())
        .startsWith("Invalid value for option '--depth-warning': 'deep' is not an int\nUsage:");

    for (CliRun run : List.of(noFile, noCommand, unknownOption, notANumber)) {
      assertNoStackTrace(run.err());
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void inconsistentThresholds_exit2() {
    String file = fixture("empty.json");
    assertThat(run("analyze", "--depth-critical", "3", file).err())
        .startsWith("--depth-critical (3) must not be below --depth-warning (15)\nUsage:");
    assertThat(run("analyze", "--fan-out-warning", "200", file).err())
        .startsWith("--fan-out-critical (100) must not be below --fan-out-warning (200)\nUsage:");
    assertThat(run("analyze", "--fan-out-warning", "0", file).err())
        .startsWith("--fan-out-warning must be positive, was 0\nUsage:");
    CliRun nPlusOne = run("analyze", "--n-plus-one-threshold", "1", file);
    assertThat(nPlusOne.exitCode()).isEqualTo(2);
    assertThat(nPlusOne.err()).startsWith("--n-plus-one-threshold must be at least 2, was 1\n");
  }

  @Test
  void help_exit0() {
    CliRun run = run("analyze", "--help");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out())
        .startsWith("Usage: trace-insights analyze ")
        .contains("--n-plus-one-threshold=<count>", "--depth-warning=<levels>", "--pretty")
        .contains("(default: 5)", "(default: 15)", "(default: 25)", "(default: 50)");
  }

  @Test
  void invalidTrace_skippedWithANote_orWithStrictAnError_exit3() {
    // Stands in for the analyzer's InvalidTraceException (see the cycle case in
    // AnalyzeEndToEndTest for the real one).
    AnalyzeCommand.Analysis cycle =
        (settings, spans) -> {
          throw new InvalidTraceException(
              "cycle in parent links: 1000000000000002 -> 1000000000000003 -> 1000000000000002");
        };
    String file = fixture("cycle.json");

    CliRun skipping = run(analyzingWith(cycle), "analyze", file);
    assertThat(skipping.exitCode()).isEqualTo(ExitCodes.NO_DATA); // its only trace was skipped
    assertThat(skipping.err())
        .isEqualTo(
            "note: "
                + file
                + ": trace 11111111111111111111111111111111: skipped: cycle in parent links:"
                + " 1000000000000002 -> 1000000000000003 -> 1000000000000002\n"
                + "error: nothing analysed: every trace was skipped\n");

    CliRun run = run(analyzingWith(cycle), "analyze", "--strict", file);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + file
                + ": trace 11111111111111111111111111111111: cycle in parent links:"
                + " 1000000000000002 -> 1000000000000003 -> 1000000000000002\n");

    CliRun verbose = run(analyzingWith(cycle), "analyze", "--strict", "--verbose", file);
    assertThat(verbose.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(verbose.err())
        .startsWith("error: " + file + ": trace 11111111111111111111111111111111: cycle")
        .contains("dev.traceinsights.analysis.InvalidTraceException: cycle", "\tat ");
  }

  @Test
  void unexpectedAnalysisFailure_oneLineWithAHint_exit5() {
    AnalyzeCommand.Analysis broken =
        (settings, spans) -> {
          throw new IllegalStateException("boom");
        };
    String file = fixture("cycle.json");

    CliRun run = run(analyzingWith(broken), "analyze", file);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + file
                + ": trace 11111111111111111111111111111111: analysis failed:"
                + " java.lang.IllegalStateException: boom (rerun with --verbose for the stack"
                + " trace)\n");
  }

  @Test
  void tracesInFirstSeenOrder_spansInInputOrder_defaultSettings() {
    List<AnalysisSettings> settingsSeen = new ArrayList<>();
    List<List<String>> tracesSeen = new ArrayList<>();
    AnalyzeCommand.Analysis recording =
        (settings, spans) -> {
          settingsSeen.add(settings);
          tracesSeen.add(spans.stream().map(SpanData::getSpanId).toList());
          return minimalAnalysis(spans);
        };

    CliRun run = run(analyzingWith(recording), "analyze", fixture("checkout-trace.jsonl"));

    assertThat(run.exitCode()).isEqualTo(0);
    // The checkout trace's spans come from both lines; the health trace sits between them.
    assertThat(tracesSeen)
        .containsExactly(
            List.of(
                "aaaaaaaaaaaa0001",
                "bbbbbbbbbbbb0002",
                "dddddddddddd0004",
                "eeeeeeeeeeee0005",
                "cccccccccccc0003"),
            List.of("ffffffffffff0006"));
    assertThat(settingsSeen).containsOnly(AnalysisSettings.defaults());
    assertThat(run.out())
        .startsWith("{\"traces\":[{\"traceId\":\"" + CHECKOUT_TRACE + "\"")
        .contains("{\"traceId\":\"" + HEALTH_TRACE + "\"");
  }

  @Test
  void oneTraceOverTwoFiles_isAnalysedOnce_andErrorsNameBothFiles() {
    List<List<String>> tracesSeen = new ArrayList<>();
    AnalyzeCommand.Analysis recording =
        (settings, spans) -> {
          tracesSeen.add(spans.stream().map(SpanData::getSpanId).toList());
          return minimalAnalysis(spans);
        };
    String part1 = fixture("checkout-part1.json");
    String part2 = fixture("checkout-part2.json");

    assertThat(run(analyzingWith(recording), "analyze", part1, part2).exitCode()).isEqualTo(0);
    assertThat(tracesSeen)
        .containsExactly(
            List.of(
                "aaaaaaaaaaaa0001",
                "bbbbbbbbbbbb0002",
                "cccccccccccc0003",
                "dddddddddddd0004",
                "eeeeeeeeeeee0005"));

    AnalyzeCommand.Analysis invalid =
        (settings, spans) -> {
          throw new InvalidTraceException("duplicate span id aaaaaaaaaaaa0001");
        };
    CliRun run = run(analyzingWith(invalid), "analyze", "--strict", part1, part2);
    assertThat(run.err())
        .isEqualTo(
            "error: "
                + part1
                + ", "
                + part2
                + ": trace "
                + CHECKOUT_TRACE
                + ": duplicate span id aaaaaaaaaaaa0001\n");
  }

  @Test
  void thresholdOptions_reachTheAnalysis() {
    List<AnalysisSettings> settingsSeen = new ArrayList<>();
    AnalyzeCommand.Analysis recording =
        (settings, spans) -> {
          settingsSeen.add(settings);
          return minimalAnalysis(spans);
        };

    CliRun run =
        run(
            analyzingWith(recording),
            "analyze",
            "--depth-warning",
            "2",
            "--depth-critical=3",
            "--fan-out-warning",
            "4",
            "--fan-out-critical",
            "6",
            "--n-plus-one-threshold",
            "3",
            fixture("n-plus-one.json"));

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(settingsSeen).containsExactly(new AnalysisSettings(2, 3, 4, 6, 3));
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, UTF_8);
  }

  private static void assertNoStackTrace(String err) {
    assertThat(err).doesNotContain("\tat ").doesNotContain("Exception");
  }

  /** A placeholder analysis with the spans' ids and nothing found, rooted at the first span. */
  private static TraceAnalysis minimalAnalysis(List<SpanData> spans) {
    List<SpanAnalysis> analysed = new ArrayList<>();
    for (SpanData span : spans) {
      analysed.add(
          new SpanAnalysis(
              span.getSpanId(),
              span.getParentSpanContext().isValid() ? span.getParentSpanId() : null,
              span.getName(),
              span.getKind(),
              span.getStartEpochNanos(),
              span.getEndEpochNanos(),
              0,
              0,
              1,
              0,
              false,
              null,
              TraceTotals.NOT_MEASURED));
    }
    return new TraceAnalysis(
        spans.get(0).getTraceId(),
        spans.get(0).getSpanId(),
        analysed,
        List.of(),
        List.of(),
        null,
        List.of(),
        List.of(),
        new TraceShape(1, ThresholdStatus.OK, 0, null, ThresholdStatus.OK),
        new TraceTotals(0, spans.size(), 0, TraceTotals.NOT_MEASURED),
        List.of());
  }
}
