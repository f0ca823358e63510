package dev.traceinsights.cli;

import static dev.traceinsights.cli.CliRun.run;
import static dev.traceinsights.compare.TestTraces.MS;
import static dev.traceinsights.compare.TestTraces.T0;
import static dev.traceinsights.compare.TestTraces.span;
import static dev.traceinsights.compare.TestTraces.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineFile;
import dev.traceinsights.baseline.OperationBaseline;
import dev.traceinsights.stats.OperationKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineCommandTest {

  private static final OperationKey CHECKOUT =
      new OperationKey("shop", "GET /checkout", SpanKind.SERVER);
  private static final OperationKey PAY = new OperationKey("shop", "POST /pay", SpanKind.CLIENT);

  @TempDir Path dir;

  /*
   * 40 traces, i = 0..39: GET /checkout of (100 + i) ms with a POST /pay child of (50 + i) ms;
   * every tenth payment fails with an exception. Spread over two files.
   */
  @Test
  void recordsEverySpanOfAllFiles() throws IOException {
    List<SpanData> first = new ArrayList<>();
    List<SpanData> second = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String trace = String.format("%032x", i + 1);
      long start = T0 + i * 1000 * MS;
      (i < 20 ? first : second)
          .add(
              span(
                  "shop",
                  trace,
                  "a0000000000000" + String.format("%02x", i),
                  null,
                  "GET /checkout",
                  SpanKind.SERVER,
                  start,
                  start + (100 + i) * MS,
                  false));
      second.add(
          span(
              "shop",
              trace,
              "b0000000000000" + String.format("%02x", i),
              "a0000000000000" + String.format("%02x", i),
              "POST /pay",
              SpanKind.CLIENT,
              start + MS,
              start + (51 + i) * MS,
              i % 10 == 0));
    }
    Path a = write(dir.resolve("a.json"), first);
    Path b = write(dir.resolve("b.json"), second);
    Path output = dir.resolve("baseline.json");

    CliRun run = run("baseline", a.toString(), b.toString(), "-o", output.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).isEqualTo(output + ": 2 operations from 40 traces\n");
    Baseline baseline = BaselineFile.read(output);
    assertThat(baseline.source()).isEqualTo(a + ", " + b);
    OperationBaseline checkout = baseline.operation(CHECKOUT);
    assertThat(checkout.calls()).isEqualTo(40);
    assertThat(checkout.errors()).isZero();
    // Rank floor(0.5 * 39) = 19 of 100..139 ms: 119 ms, within 1 %.
    assertThat(checkout.p50Nanos()).isCloseTo(119.0 * MS, within(1.19 * MS));
    OperationBaseline pay = baseline.operation(PAY);
    assertThat(pay.calls()).isEqualTo(40);
    assertThat(pay.errors()).isEqualTo(4);
    assertThat(pay.sampleSize()).isEqualTo(40);
    assertThat(baseline.errorFingerprints()).hasSize(1);
    // Reproducible: the same input writes the same file.
    Path again = dir.resolve("again.json");
    assertThat(run("baseline", a.toString(), b.toString(), "-o", again.toString()).exitCode())
        .isZero();
    assertThat(Files.readString(again).replaceAll("\"capturedUnixNano\" : \"\\d+\"", ""))
        .isEqualTo(Files.readString(output).replaceAll("\"capturedUnixNano\" : \"\\d+\"", ""));
  }

  @Test
  void missingOutput_usageError_exit2() {
    CliRun run = run("baseline", "traces.json");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--output=<baseline.json>'");
  }

  @Test
  void unreadableInput_oneErrorLine_exit3_noFileWritten() {
    Path missing = dir.resolve("missing.json");
    Path output = dir.resolve("baseline.json");

    CliRun run = run("baseline", missing.toString(), "-o", output.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INPUT);
    assertThat(run.err()).isEqualTo("error: " + missing + ": no such file\n");
    assertThat(output).doesNotExist();
  }
}
