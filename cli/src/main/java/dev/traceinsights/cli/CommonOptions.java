package dev.traceinsights.cli;

import dev.traceinsights.otlpjson.OtlpJsonTraceReader;
import dev.traceinsights.otlpjson.TraceFiles;
import dev.traceinsights.otlpjson.TraceInput;
import dev.traceinsights.otlpjson.TraceInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.Nullable;
import picocli.CommandLine.Option;

/**
 * The options every command has ({@code --verbose}, {@code --help}) and the one way they report an
 * error: a line {@code error: ...}, the stack trace only with {@code --verbose}. A picocli mixin.
 */
final class CommonOptions {

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the stack trace of an error.")
  boolean verbose;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  void report(PrintWriter err, String message, @Nullable Throwable cause) {
    err.println("error: " + message);
    if (verbose && cause != null) {
      cause.printStackTrace(err);
    }
    err.flush();
  }

  /** One line for the user, on stderr, before the result. */
  static void note(PrintWriter err, String note) {
    err.println("note: " + note);
    err.flush();
  }

  /**
   * The traces of {@code files} ({@code -} is standard input), notes on {@code err}.
   *
   * @throws TraceInputException naming the input that cannot be read
   */
  static List<TraceInput> readTraces(List<Path> files, PrintWriter err) throws TraceInputException {
    return TraceFiles.create(OtlpJsonTraceReader.create(), () -> System.in)
        .read(files, note -> note(err, note));
  }

  /**
   * Reports running out of memory in one line that says what to do; {@link ExitCodes#FAILURE}. What
   * the command held is unreachable by now, so there is room to print.
   */
  int outOfMemory(PrintWriter err, OutOfMemoryError e) {
    long maxMiB = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    report(
        err,
        "out of memory (the JVM's maximum heap is "
            + maxMiB
            + " MiB): give it more, e.g. java -Xmx4g -jar trace-insights-cli.jar ..., or split"
            + " the input into smaller files",
        e);
    return ExitCodes.FAILURE;
  }

  /** A command's work, whose failures {@link #guarded} turns into one line and an exit code. */
  @FunctionalInterface
  interface Work {
    int run() throws TraceInputException, IOException;
  }

  /** A failure whose message is ready to show after {@code error: }; {@link ExitCodes#FAILURE}. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Runs {@code work} and reports how it failed, the same way for every command: an unreadable
   * input is {@link ExitCodes#INPUT}, running out of memory or a bug {@link ExitCodes#FAILURE}.
   */
  int guarded(PrintWriter err, Work work) {
    try {
      return work.run();
    } catch (TraceInputException e) {
      report(err, e.getMessage(), e.getCause() != null ? e.getCause() : e);
      return ExitCodes.INPUT;
    } catch (OutOfMemoryError e) {
      return outOfMemory(err, e);
    } catch (StackOverflowError e) {
      // Never an exit code of picocli's own (1 means "regression" to compare's callers).
      report(err, "internal error: " + e + hint(), e);
      return ExitCodes.FAILURE;
    } catch (Failure e) {
      report(err, e.getMessage(), e.getCause());
      return ExitCodes.FAILURE;
    } catch (IOException | RuntimeException e) {
      report(err, "internal error: " + e + hint(), e);
      return ExitCodes.FAILURE;
    }
  }

  /** What to add to a message whose stack trace was left out. */
  String hint() {
    return verbose ? "" : " (rerun with --verbose for the stack trace)";
  }
}
