package dev.traceinsights.cli;

import static dev.traceinsights.cli.CliRun.fixture;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar, run as the README tells users to: {@code java -jar
 * analysis-exporter/target/trace-insights-cli.jar analyze <file>...}. Proves the jar's manifest,
 * main class and bundled libraries (picocli, Jackson, the SDK) work outside Maven's classpath.
 */
class TraceInsightsCliJarIT {

  private static final Path JAR =
      Path.of(System.getProperty("traceinsights.cliJar", "target/trace-insights-cli.jar"));

  @TempDir Path dir;

  @Test
  void version_fromTheJarManifest() throws Exception {
    Result result = java("--version");

    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.out())
        .isEqualTo("trace-insights " + System.getProperty("traceinsights.version") + "\n");
  }

  @Test
  void fileWithoutSpans_noData_exit4() throws Exception {
    Result result = java("analyze", fixture("empty.json"));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NO_DATA);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("note: ").contains("error: nothing analysed: no spans in");
  }

  @Test
  void dashReadsStandardInput() throws Exception {
    Result result = java(List.of(), Path.of(fixture("checkout-trace.jsonl")), "analyze", "-");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(new ObjectMapper().readTree(result.out()).get("traces")).hasSize(2);
  }

  @Test
  void outOfMemory_oneLineSayingWhatToDo_exit5() throws Exception {
    // 60 000 spans in one request: several times what a 32 MiB heap holds as a JSON tree.
    Path big = dir.resolve("big.json");
    try (Writer out = Files.newBufferedWriter(big, UTF_8)) {
      out.write("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[");
      for (int i = 0; i < 60_000; i++) {
        out.write(i == 0 ? "" : ",");
        out.write(
            String.format(
                Locale.ROOT,
                "{\"traceId\":\"%032x\",\"spanId\":\"%016x\",\"name\":\"GET /items/%d\","
                    + "\"startTimeUnixNano\":\"1700000000000000000\","
                    + "\"endTimeUnixNano\":\"1700000000001000000\","
                    + "\"attributes\":[{\"key\":\"padding\",\"value\":{\"stringValue\":\"%s\"}}]}",
                i / 10 + 1,
                i + 1,
                i,
                "x".repeat(200)));
      }
      out.write("]}]}]}\n");
    }

    Result result = java(List.of("-Xmx32m"), null, "analyze", big.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .startsWith("error: out of memory (the JVM's maximum heap is ")
        .contains("java -Xmx4g -jar trace-insights-cli.jar")
        .doesNotContain("\tat ");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void notJson_oneErrorLine_exit3() throws Exception {
    Result result = java("analyze", fixture("not-json.json"));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .startsWith("error: " + fixture("not-json.json") + ": line 2, column 20: not valid JSON")
        .doesNotContain("\tat ");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void usageError_exit2() throws Exception {
    Result result = java("analyze");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Missing required parameter: '<file>'");
  }

  /** NEEDS THE ANALYZER: skipped while TraceAnalyzer.analyze is the skeleton's stub. */
  @Test
  void analyzeTheCheckoutTrace_prettyJson() throws Exception {

    Result result = java("analyze", "--pretty", fixture("checkout-trace.jsonl"));

    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(0);
    JsonNode trace = new ObjectMapper().readTree(result.out()).get("traces").get(0);
    assertThat(trace.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(trace.get("bottleneckSpanIds").get(0).asText()).isEqualTo("dddddddddddd0004");
    assertThat(trace.get("rootCauseSpanId").asText()).isEqualTo("cccccccccccc0003");
  }

  private Result java(String... args) throws IOException, InterruptedException {
    return java(List.of(), null, args);
  }

  /** Runs the jar with {@code jvmOptions} and, when not null, {@code stdin} as standard input. */
  private Result java(List<String> jvmOptions, @Nullable Path stdin, String... args)
      throws IOException, InterruptedException {
    assertThat(JAR).as("the shaded jar; built by mvn package").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("java -jar did not finish within 60 s: " + command);
    }
    return new Result(
        process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
  }

  private record Result(int exitCode, String out, String err) {}
}
