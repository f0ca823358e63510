package dev.traceinsights.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.analysis.InvalidTraceException;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.otlpjson.CappedNotes;
import dev.traceinsights.otlpjson.TraceInput;
import dev.traceinsights.otlpjson.TraceInputException;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trace-insights analyze <file>...}: reads OTLP-JSON files, analyses every trace in them and
 * prints one JSON document (see {@link AnalysisJsonWriter}).
 *
 * <p>Exit codes: {@link ExitCodes}. A trace that cannot be analysed is skipped with a note naming
 * it (an error with {@code --strict}). Every failure is one line on stderr starting with {@code
 * error:} that names the file (and the trace); the stack trace only with {@code --verbose}.
 */
@Command(
    name = "analyze",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Analyse every trace in OTLP-JSON files and print the results as one JSON document:"
          + " critical path, self times, bottlenecks, root-cause error, N+1 queries, shape.",
      "Input: the JSON encoding of ExportTraceServiceRequest (OTLP/HTTP JSON), one request per"
          + " file or one per line (the Collector's file exporter); gzip is detected; '-' reads"
          + " standard input. The spans of a trace may be spread over several requests and files;"
          + " exact duplicate spans are removed, a trace that cannot be analysed is skipped."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCodes.OK_LINE,
      ExitCodes.USAGE_LINE,
      ExitCodes.INPUT_LINE + " (with --strict: or holds a trace that cannot be analysed)",
      ExitCodes.NO_DATA_LINE,
      ExitCodes.FAILURE_LINE
    })
final class AnalyzeCommand implements Callable<Integer> {

  /** How one trace is analysed; the real analyzer unless a test puts a stand-in here. */
  @FunctionalInterface
  interface Analysis {
    TraceAnalysis analyze(AnalysisSettings settings, List<SpanData> spans);
  }

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "<file>",
      description = "OTLP-JSON trace files; - for standard input.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--n-plus-one-threshold",
      paramLabel = "<count>",
      defaultValue = "" + AnalysisSettings.DEFAULT_N_PLUS_ONE_THRESHOLD,
      description =
          "Report a database statement or remote call repeated at least this many times under"
              + " one span (default: ${DEFAULT-VALUE}).")
  int nPlusOneThreshold;

  @Option(
      names = "--depth-warning",
      paramLabel = "<levels>",
      defaultValue = "" + AnalysisSettings.DEFAULT_DEPTH_WARNING,
      description = "Depth above which a trace's shape is a warning (default: ${DEFAULT-VALUE}).")
  int depthWarning;

  @Option(
      names = "--depth-critical",
      paramLabel = "<levels>",
      defaultValue = "" + AnalysisSettings.DEFAULT_DEPTH_CRITICAL,
      description = "Depth above which it is critical (default: ${DEFAULT-VALUE}).")
  int depthCritical;

  @Option(
      names = "--fan-out-warning",
      paramLabel = "<children>",
      defaultValue = "" + AnalysisSettings.DEFAULT_FAN_OUT_WARNING,
      description =
          "Direct children of one span above which the shape is a warning"
              + " (default: ${DEFAULT-VALUE}).")
  int fanOutWarning;

  @Option(
      names = "--fan-out-critical",
      paramLabel = "<children>",
      defaultValue = "" + AnalysisSettings.DEFAULT_FAN_OUT_CRITICAL,
      description = "Direct children above which it is critical (default: ${DEFAULT-VALUE}).")
  int fanOutCritical;

  @Option(names = "--pretty", description = "Indent the JSON output.")
  boolean pretty;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "<file>",
      description = "Write the JSON to this file instead of standard output.")
  @Nullable
  Path output;

  @Option(
      names = "--strict",
      description =
          "Fail (exit 3) on a trace that cannot be analysed instead of skipping it with a note.")
  boolean strict;

  @Mixin CommonOptions common;

  private final Analysis analysis;

  AnalyzeCommand() {
    this(new OneAnalyzer());
  }

  /** The real analyzer, one for the run's settings (it remembers statement shapes). */
  private static final class OneAnalyzer implements Analysis {
    @Nullable private TraceAnalyzer analyzer;

    @Override
    public TraceAnalysis analyze(AnalysisSettings settings, List<SpanData> spans) {
      if (analyzer == null || analyzer.settings() != settings) {
        analyzer = TraceAnalyzer.create(settings);
      }
      return analyzer.analyze(spans);
    }
  }

  AnalyzeCommand(Analysis analysis) {
    this.analysis = requireNonNull(analysis, "analysis");
  }

  @Override
  public Integer call() {
    AnalysisSettings settings = settings();
    PrintWriter err = spec.commandLine().getErr();
    return common.guarded(err, () -> analyzeAll(settings, err));
  }

  private int analyzeAll(AnalysisSettings settings, PrintWriter err) throws TraceInputException {
    List<TraceInput> traces = CommonOptions.readTraces(files, err);
    List<TraceAnalysis> analyses = new ArrayList<>(traces.size());
    CappedNotes skipped = new CappedNotes(note -> CommonOptions.note(err, note));
    for (TraceInput trace : traces) {
      TraceAnalysis analysis = analyze(trace, settings, skipped);
      if (analysis != null) {
        analyses.add(analysis);
      }
    }
    skipped.finish("traces skipped");
    if (analyses.isEmpty()) {
      common.report(
          err,
          traces.isEmpty()
              ? "nothing analysed: no spans in " + CompareCommand.describe(files)
              : "nothing analysed: every trace was skipped",
          null);
      return ExitCodes.NO_DATA;
    }
    write(analyses);
    return ExitCodes.OK;
  }

  private AnalysisSettings settings() {
    requirePositive(depthWarning, "--depth-warning");
    requirePositive(fanOutWarning, "--fan-out-warning");
    requireAtLeast(depthCritical, "--depth-critical", depthWarning, "--depth-warning");
    requireAtLeast(fanOutCritical, "--fan-out-critical", fanOutWarning, "--fan-out-warning");
    if (nPlusOneThreshold < 2) {
      throw usageError("--n-plus-one-threshold must be at least 2, was " + nPlusOneThreshold);
    }
    return new AnalysisSettings(
        depthWarning, depthCritical, fanOutWarning, fanOutCritical, nPlusOneThreshold);
  }

  /**
   * The trace's analysis, or null when it is skipped: it cannot be analysed (spans sharing an id
   * with different content, a cycle), which {@code --strict} makes an error instead.
   */
  @Nullable
  private TraceAnalysis analyze(TraceInput trace, AnalysisSettings settings, CappedNotes skipped)
      throws TraceInputException {
    try {
      return analysis.analyze(settings, trace.spans());
    } catch (InvalidTraceException e) {
      if (strict) {
        throw new TraceInputException(trace.where() + ": " + e.getMessage(), e);
      }
      skipped.add(trace.where() + ": skipped: " + e.getMessage());
      return null;
    } catch (RuntimeException e) {
      throw new CommonOptions.Failure(trace.where() + ": analysis failed: " + e + common.hint(), e);
    }
  }

  private void write(List<TraceAnalysis> analyses) throws TraceInputException {
    if (output == null) {
      try {
        AnalysisJsonWriter.write(analyses, spec.commandLine().getOut(), pretty);
      } catch (IOException e) {
        throw new TraceInputException("cannot write to standard output: " + e.getMessage(), e);
      }
      return;
    }
    try (Writer out = Files.newBufferedWriter(output, UTF_8)) {
      AnalysisJsonWriter.write(analyses, out, pretty);
    } catch (NoSuchFileException e) {
      throw new TraceInputException(output + ": cannot write: no such directory", e);
    } catch (AccessDeniedException e) {
      throw new TraceInputException(output + ": cannot write: permission denied", e);
    } catch (IOException e) {
      throw new TraceInputException(output + ": cannot write: " + e.getMessage(), e);
    }
  }

  private void requirePositive(int value, String option) {
    if (value < 1) {
      throw usageError(option + " must be positive, was " + value);
    }
  }

  private void requireAtLeast(int value, String option, int minimum, String minimumOption) {
    if (value < minimum) {
      throw usageError(
          option + " (" + value + ") must not be below " + minimumOption + " (" + minimum + ")");
    }
  }

  private ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
