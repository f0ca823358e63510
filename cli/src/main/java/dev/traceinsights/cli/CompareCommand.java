package dev.traceinsights.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineFile;
import dev.traceinsights.baseline.BaselineRecorder;
import dev.traceinsights.baseline.BaselineRecorderBuilder;
import dev.traceinsights.compare.BottleneckShares;
import dev.traceinsights.compare.JsonReport;
import dev.traceinsights.compare.MarkdownReport;
import dev.traceinsights.compare.RunComparison;
import dev.traceinsights.compare.TraceRun;
import dev.traceinsights.detection.RegressionDetector;
import dev.traceinsights.detection.RegressionDetectorBuilder;
import dev.traceinsights.events.Severity;
import dev.traceinsights.otlpjson.TraceFiles;
import dev.traceinsights.otlpjson.TraceInputException;
import io.opentelemetry.sdk.common.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code trace-insights compare --baseline <baseline.json | traces...> --run <traces...>}: the CI
 * gate. Compares a run's OTLP-JSON traces with a baseline (a file of {@code trace-insights
 * baseline}, recognised by its {@code "format"} field, or the traces of a reference run), prints a
 * Markdown report and exits 1 when a regression reaches {@code --fail-on}.
 *
 * <p>Exit codes: {@link ExitCodes}. Nothing compared (no run spans, no baseline operations, none in
 * common, none with enough durations) is {@link ExitCodes#NO_DATA}, never a pass. Failures are one
 * {@code error:} line on stderr naming the file.
 */
@Command(
    name = "compare",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Compare a run's traces with a baseline and fail on regressions: per operation a"
          + " Mann-Whitney U test (Benjamini-Hochberg across operations), a minimum p50 change, and"
          + " severity from the p50 change.",
      "Prints a Markdown report: regressions, improvements, new bottlenecks (when the baseline is"
          + " traces), new and vanished operations."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no regression at or above --fail-on",
      ExitCodes.REGRESSION_LINE,
      ExitCodes.USAGE_LINE,
      ExitCodes.INPUT_LINE,
      "4:no data: nothing was compared (no run spans, no baseline operations, none in common)",
      ExitCodes.FAILURE_LINE
    })
final class CompareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--baseline",
      required = true,
      arity = "1..*",
      paramLabel = "<file>",
      description = "A baseline file (trace-insights baseline), or OTLP-JSON trace files.")
  List<Path> baselineFiles = new ArrayList<>();

  @Option(
      names = "--run",
      required = true,
      arity = "1..*",
      paramLabel = "<file>",
      description = "OTLP-JSON trace files of the run to check; - for standard input.")
  List<Path> runFiles = new ArrayList<>();

  @Option(
      names = "--fail-on",
      paramLabel = "<severity>",
      defaultValue = "high",
      converter = SeverityConverter.class,
      description =
          "Exit 1 on a regression of this severity or above: low, medium, high or critical"
              + " (default: ${DEFAULT-VALUE}).")
  Severity failOn;

  @Option(
      names = "--markdown",
      paramLabel = "<file>",
      description = "Also write the Markdown report to this file.")
  @Nullable
  Path markdown;

  @Option(
      names = "--json",
      paramLabel = "<file>",
      description = "Write the report as JSON to this file.")
  @Nullable
  Path json;

  @Option(
      names = "--fdr",
      paramLabel = "<rate>",
      defaultValue = "" + RegressionDetectorBuilder.DEFAULT_FALSE_DISCOVERY_RATE,
      description =
          "False discovery rate across operations (Benjamini-Hochberg) (default: ${DEFAULT-VALUE}).")
  double falseDiscoveryRate;

  @Option(
      names = "--min-samples",
      paramLabel = "<count>",
      defaultValue = "" + RegressionDetectorBuilder.DEFAULT_MIN_SAMPLE_SIZE,
      description =
          "Spans an operation needs on each side to be compared (default: ${DEFAULT-VALUE}).")
  int minSamples;

  @Option(
      names = "--min-change",
      paramLabel = "<percent>",
      defaultValue = "10",
      description = "Smallest p50 change reported, in percent (default: ${DEFAULT-VALUE}).")
  double minChangePercent;

  @Option(
      names = "--min-change-ms",
      paramLabel = "<ms>",
      defaultValue = "1",
      description = "Smallest p50 change reported, in milliseconds (default: ${DEFAULT-VALUE}).")
  double minChangeMillis;

  @Option(
      names = "--sample-size",
      paramLabel = "<durations>",
      defaultValue = "" + BaselineRecorderBuilder.DEFAULT_SAMPLE_CAPACITY,
      description = "Durations sampled per operation of traces (default: ${DEFAULT-VALUE}).")
  int sampleSize;

  @Option(
      names = "--seed",
      paramLabel = "<seed>",
      defaultValue = "" + BaselineCommand.DEFAULT_SEED,
      description = "Seed of the sampling, for reproducible reports (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    RegressionDetector detector = detector();
    boolean baselineIsFile = baselineIsFile();
    PrintWriter err = spec.commandLine().getErr();
    return common.guarded(err, () -> compare(detector, baselineIsFile, err));
  }

  private int compare(RegressionDetector detector, boolean baselineIsFile, PrintWriter err)
      throws TraceInputException, IOException {
    Baseline baseline;
    BottleneckShares baselineBottlenecks = null;
    if (baselineIsFile) {
      baseline = readBaselineFile(baselineFiles.get(0));
    } else {
      TraceRun reference = readTraces(baselineFiles, err);
      baseline = reference.baseline();
      baselineBottlenecks = reference.bottlenecks();
    }
    TraceRun run = readTraces(runFiles, err);
    RunComparison comparison = RunComparison.compare(detector, baseline, baselineBottlenecks, run);

    StringWriter report = new StringWriter();
    MarkdownReport.write(comparison, failOn, report);
    PrintWriter out = spec.commandLine().getOut();
    out.print(report);
    out.flush();
    if (markdown != null) {
      writeFile(markdown, report.toString());
    }
    if (json != null) {
      StringWriter document = new StringWriter();
      JsonReport.write(comparison, failOn, Clock.getDefault().now(), document);
      writeFile(json, document.toString());
    }
    if (comparison.fails(failOn)) {
      return ExitCodes.REGRESSION;
    }
    String nothingCompared = comparison.nothingCompared();
    if (nothingCompared != null) {
      common.report(err, "nothing compared: " + nothingCompared, null);
      return ExitCodes.NO_DATA;
    }
    return ExitCodes.OK;
  }

  private RegressionDetector detector() {
    Path dash = Path.of(TraceFiles.STANDARD_INPUT);
    if (baselineFiles.contains(dash) && runFiles.contains(dash)) {
      throw usageError("standard input (-) can be read once: give it to --baseline or to --run");
    }
    if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1)) {
      throw usageError("--fdr must be in (0, 1), was " + falseDiscoveryRate);
    }
    if (minSamples < 2) {
      throw usageError("--min-samples must be at least 2, was " + minSamples);
    }
    if (!(minChangePercent >= 0) || !(minChangeMillis >= 0)) {
      throw usageError("--min-change and --min-change-ms must be non-negative");
    }
    if (sampleSize < minSamples) {
      throw usageError(
          "--sample-size ("
              + sampleSize
              + ") must not be below --min-samples ("
              + minSamples
              + ")");
    }
    return RegressionDetector.builder()
        .setFalseDiscoveryRate(falseDiscoveryRate)
        .setMinSampleSize(minSamples)
        .setMinEffect(
            minChangePercent / 100, Duration.ofNanos(Math.round(minChangeMillis * 1_000_000)))
        .build();
  }

  /** A baseline file is recognised by its content; it must then be the only baseline input. */
  private boolean baselineIsFile() {
    int baselineFileCount = 0;
    for (Path file : baselineFiles) {
      try {
        if (Files.isRegularFile(file) && BaselineFile.isBaselineFile(file)) {
          baselineFileCount++;
        }
      } catch (IOException e) {
        // Not readable: reading it as traces reports the problem with the file's name.
      }
    }
    if (baselineFileCount > 0 && baselineFiles.size() > 1) {
      throw usageError(
          "--baseline takes one baseline file, or OTLP-JSON trace files, not both: "
              + describe(baselineFiles));
    }
    return baselineFileCount == 1;
  }

  private static Baseline readBaselineFile(Path file) throws TraceInputException {
    try {
      return BaselineFile.read(file);
    } catch (NoSuchFileException e) {
      throw new TraceInputException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new TraceInputException(file + ": permission denied", e);
    } catch (IOException e) { // BaselineFileException's message names the file already
      throw new TraceInputException(e.getMessage(), e);
    }
  }

  private TraceRun readTraces(List<Path> files, PrintWriter err) throws TraceInputException {
    BaselineRecorder recorder =
        BaselineRecorder.builder()
            .setSampleCapacity(sampleSize)
            .setSeed(seed)
            .setSource(describe(files))
            .build();
    return TraceRun.of(
        CommonOptions.readTraces(files, err),
        recorder,
        TraceAnalyzer.create(),
        note -> CommonOptions.note(err, note));
  }

  private static void writeFile(Path file, String content) throws TraceInputException {
    try (Writer out = Files.newBufferedWriter(file, UTF_8)) {
      out.write(content);
    } catch (NoSuchFileException e) {
      throw new TraceInputException(file + ": cannot write: no such directory", e);
    } catch (AccessDeniedException e) {
      throw new TraceInputException(file + ": cannot write: permission denied", e);
    } catch (IOException e) {
      throw new TraceInputException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** {@code a.json, b.json}, or {@code a.json, b.json, c.json and 4 more} for many. */
  static String describe(List<Path> files) {
    List<String> names = files.stream().limit(3).map(Path::toString).toList();
    String text = String.join(", ", names);
    return files.size() > 3 ? text + " and " + (files.size() - 3) + " more" : text;
  }

  private ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code low}, {@code medium}, {@code high}, {@code critical}, in any case. */
  static final class SeverityConverter implements ITypeConverter<Severity> {
    @Override
    public Severity convert(String value) {
      for (Severity severity : Severity.values()) {
        if (severity.label().equals(value.toLowerCase(Locale.ROOT))) {
          return severity;
        }
      }
      throw new TypeConversionException(
          "expected low, medium, high or critical, was '" + value + "'");
    }
  }
}
