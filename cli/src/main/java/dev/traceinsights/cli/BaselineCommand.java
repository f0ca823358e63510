package dev.traceinsights.cli;

import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineFile;
import dev.traceinsights.baseline.BaselineRecorder;
import dev.traceinsights.baseline.BaselineRecorderBuilder;
import dev.traceinsights.compare.TraceInputException;
import dev.traceinsights.compare.TraceRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trace-insights baseline <file>... -o baseline.json}: records every span of OTLP-JSON files
 * into a baseline file ({@link BaselineFile}) for {@code compare} to check later runs against.
 *
 * <p>Exit codes as {@code analyze}: 0 on success, 1 when an input cannot be read or the output not
 * written, 2 for a usage error; failures are one {@code error:} line on stderr naming the file.
 */
@Command(
    name = "baseline",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Record the span durations, errors and error fingerprints of OTLP-JSON trace files as a"
          + " baseline file for 'trace-insights compare'.",
      "Per operation (service, span name, kind): calls, errors, a DDSketch of durations (1 %%"
          + " relative accuracy) and a uniform sample of durations for the statistical tests."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:an input cannot be read or is not OTLP-JSON, or the output cannot be written",
      "2:usage error"
    })
final class BaselineCommand implements Callable<Integer> {

  /** The same input gives the same file. */
  static final long DEFAULT_SEED = 1;

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "<file>", description = "OTLP-JSON trace files.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "<baseline.json>",
      description = "The baseline file to write (replaced atomically).")
  Path output;

  @Option(
      names = "--sample-size",
      paramLabel = "<durations>",
      defaultValue = "" + BaselineRecorderBuilder.DEFAULT_SAMPLE_CAPACITY,
      description = "Durations kept per operation for the tests (default: ${DEFAULT-VALUE}).")
  int sampleSize;

  @Option(
      names = "--max-operations",
      paramLabel = "<count>",
      defaultValue = "" + BaselineRecorderBuilder.DEFAULT_MAX_OPERATIONS,
      description =
          "Operations kept; spans of further ones are dropped (default: ${DEFAULT-VALUE}).")
  int maxOperations;

  @Option(
      names = "--seed",
      paramLabel = "<seed>",
      defaultValue = "" + DEFAULT_SEED,
      description = "Seed of the sampling, for reproducible files (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    if (sampleSize < 1) {
      throw new ParameterException(
          spec.commandLine(), "--sample-size must be positive, was " + sampleSize);
    }
    if (maxOperations < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-operations must be positive, was " + maxOperations);
    }
    PrintWriter err = spec.commandLine().getErr();
    BaselineRecorder recorder =
        BaselineRecorder.builder()
            .setSampleCapacity(sampleSize)
            .setMaxOperations(maxOperations)
            .setSeed(seed)
            .setSource(CompareCommand.describe(files))
            .build();
    try {
      TraceRun run =
          TraceRun.read(files, recorder, TraceAnalyzer.create(), note -> note(err, note));
      Baseline baseline = run.baseline();
      if (baseline.droppedOperations() > 0) {
        note(
            err,
            baseline.droppedOperations()
                + " spans of operations beyond --max-operations "
                + maxOperations
                + " were not recorded");
      }
      write(baseline);
      spec.commandLine()
          .getOut()
          .printf(
              "%s: %d operations from %d traces%n",
              output, baseline.operations().size(), run.bottlenecks().traces());
      spec.commandLine().getOut().flush();
      return ExitCode.OK;
    } catch (TraceInputException e) {
      common.report(err, e.getMessage(), e);
      return ExitCode.SOFTWARE;
    } catch (RuntimeException e) {
      common.report(err, "internal error: " + e + common.hint(), e);
      return ExitCode.SOFTWARE;
    }
  }

  private void write(Baseline baseline) throws TraceInputException {
    try {
      BaselineFile.write(baseline, output);
    } catch (NoSuchFileException e) {
      throw new TraceInputException(output + ": cannot write: no such directory", e);
    } catch (AccessDeniedException e) {
      throw new TraceInputException(output + ": cannot write: permission denied", e);
    } catch (IOException e) {
      throw new TraceInputException(output + ": cannot write: " + e.getMessage(), e);
    }
  }

  private static void note(PrintWriter err, String note) {
    err.println("note: " + note);
    err.flush();
  }
}
