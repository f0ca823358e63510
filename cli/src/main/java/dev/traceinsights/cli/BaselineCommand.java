package dev.traceinsights.cli;

import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineFile;
import dev.traceinsights.baseline.BaselineRecorder;
import dev.traceinsights.baseline.BaselineRecorderBuilder;
import dev.traceinsights.compare.TraceRun;
import dev.traceinsights.otlpjson.TraceInput;
import dev.traceinsights.otlpjson.TraceInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
 * <p>Exit codes: {@link ExitCodes}; no file is written when the inputs hold no spans. Failures are
 * one {@code error:} line on stderr naming the file.
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
      ExitCodes.OK_LINE,
      ExitCodes.USAGE_LINE,
      ExitCodes.INPUT_LINE,
      ExitCodes.NO_DATA_LINE + " (no file is written)",
      ExitCodes.FAILURE_LINE
    })
final class BaselineCommand implements Callable<Integer> {

  /** The same input gives the same file. */
  static final long DEFAULT_SEED = 1;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "<file>",
      description = "OTLP-JSON trace files; - for standard input.")
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
    return common.guarded(err, () -> record(recorder, err));
  }

  private int record(BaselineRecorder recorder, PrintWriter err) throws TraceInputException {
    List<TraceInput> traces = CommonOptions.readTraces(files, err);
    TraceRun run =
        TraceRun.of(
            traces, recorder, TraceAnalyzer.create(), note -> CommonOptions.note(err, note));
    Baseline baseline = run.baseline();
    if (baseline.operations().isEmpty()) {
      common.report(
          err, "no baseline written: no spans in " + CompareCommand.describe(files), null);
      return ExitCodes.NO_DATA;
    }
    if (baseline.droppedOperations() > 0) {
      CommonOptions.note(
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
            output, baseline.operations().size(), traces.size());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
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
}
