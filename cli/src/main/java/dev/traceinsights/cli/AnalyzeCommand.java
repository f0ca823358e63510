package dev.traceinsights.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.analysis.InvalidTraceException;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.otlpjson.OtlpJsonException;
import dev.traceinsights.otlpjson.OtlpJsonTraceReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
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
 * <p>Exit codes: 0 on success (also when the files hold no spans), 1 when an input cannot be read
 * or analysed, 2 for a usage error. Every failure is one line on stderr starting with {@code
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
          + " file or one per line (the Collector's file exporter); gzip is detected. The spans of"
          + " a trace may be spread over several requests and files."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (also when the files hold no spans)",
      "1:an input cannot be read, is not OTLP-JSON, or holds an invalid trace",
      "2:usage error"
    })
final class AnalyzeCommand implements Callable<Integer> {

  /** How one trace is analysed; the real analyzer unless a test puts a stand-in here. */
  @FunctionalInterface
  interface Analysis {
    TraceAnalysis analyze(AnalysisSettings settings, List<SpanData> spans);
  }

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "<file>", description = "OTLP-JSON trace files.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--n-plus-one-threshold",
      paramLabel = "<count>",
      defaultValue = "" + AnalysisSettings.DEFAULT_N_PLUS_ONE_THRESHOLD,
      description =
          "Report a database statement repeated at least this many times under one parent"
              + " (default: ${DEFAULT-VALUE}).")
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

  @Mixin CommonOptions common;

  private final Analysis analysis;
  private final OtlpJsonTraceReader reader = OtlpJsonTraceReader.create();

  AnalyzeCommand() {
    this((settings, spans) -> TraceAnalyzer.create(settings).analyze(spans));
  }

  AnalyzeCommand(Analysis analysis) {
    this.analysis = requireNonNull(analysis, "analysis");
  }

  @Override
  public Integer call() {
    AnalysisSettings settings = settings();
    PrintWriter err = spec.commandLine().getErr();
    try {
      List<TraceAnalysis> analyses = new ArrayList<>();
      for (TraceInput trace : read(err).values()) {
        analyses.add(analyze(trace, settings));
      }
      write(analyses);
      return ExitCode.OK;
    } catch (CommandFailure failure) {
      common.report(err, failure.getMessage(), failure.getCause());
      return ExitCode.SOFTWARE;
    } catch (RuntimeException e) {
      common.report(err, "internal error: " + e + common.hint(), e);
      return ExitCode.SOFTWARE;
    }
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

  /** The spans of all files grouped by trace, traces in the order they first appear. */
  private Map<String, TraceInput> read(PrintWriter err) throws CommandFailure {
    Map<String, TraceInput> traces = new LinkedHashMap<>();
    for (Path file : files) {
      List<SpanData> spans = readFile(file);
      if (spans.isEmpty()) {
        err.println(
            "note: "
                + file
                + ": no spans found (expected OTLP-JSON: ExportTraceServiceRequest objects"
                + " with resourceSpans)");
        err.flush();
      }
      for (Map.Entry<String, List<SpanData>> trace :
          OtlpJsonTraceReader.groupByTraceId(spans).entrySet()) {
        TraceInput input =
            traces.computeIfAbsent(trace.getKey(), traceId -> new TraceInput(traceId));
        input.spans.addAll(trace.getValue());
        input.sources.add(file.toString());
      }
    }
    return traces;
  }

  private List<SpanData> readFile(Path file) throws CommandFailure {
    if (Files.isDirectory(file)) {
      throw new CommandFailure(file + ": is a directory, expected an OTLP-JSON file", null);
    }
    try {
      return reader.readSpans(file);
    } catch (NoSuchFileException e) {
      throw new CommandFailure(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CommandFailure(file + ": permission denied", e);
    } catch (FileSystemException e) {
      String reason = e.getReason() == null ? e.toString() : e.getReason();
      throw new CommandFailure(file + ": cannot read: " + reason, e);
    } catch (IOException e) {
      throw new CommandFailure(file + ": cannot read: " + e.getMessage(), e);
    } catch (OtlpJsonException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
  }

  private TraceAnalysis analyze(TraceInput trace, AnalysisSettings settings) throws CommandFailure {
    String where = String.join(", ", trace.sources) + ": trace " + trace.traceId + ": ";
    try {
      return analysis.analyze(settings, List.copyOf(trace.spans));
    } catch (InvalidTraceException e) {
      throw new CommandFailure(where + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CommandFailure(where + "analysis failed: " + e + common.hint(), e);
    }
  }

  private void write(List<TraceAnalysis> analyses) throws CommandFailure {
    if (output == null) {
      try {
        AnalysisJsonWriter.write(analyses, spec.commandLine().getOut(), pretty);
      } catch (IOException e) {
        throw new CommandFailure("cannot write to standard output: " + e.getMessage(), e);
      }
      return;
    }
    try (Writer out = Files.newBufferedWriter(output, UTF_8)) {
      AnalysisJsonWriter.write(analyses, out, pretty);
    } catch (NoSuchFileException e) {
      throw new CommandFailure(output + ": cannot write: no such directory", e);
    } catch (AccessDeniedException e) {
      throw new CommandFailure(output + ": cannot write: permission denied", e);
    } catch (IOException e) {
      throw new CommandFailure(output + ": cannot write: " + e.getMessage(), e);
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

  /** The spans of one trace across all files, and the files they came from. */
  private static final class TraceInput {
    final String traceId;
    final List<SpanData> spans = new ArrayList<>();
    final Set<String> sources = new LinkedHashSet<>();

    TraceInput(String traceId) {
      this.traceId = traceId;
    }
  }

  /** A failure of the command whose message is ready to show the user after "error: ". */
  private static final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
