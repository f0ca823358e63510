package dev.traceinsights.cli;

import java.io.PrintWriter;
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

  /** What to add to a message whose stack trace was left out. */
  String hint() {
    return verbose ? "" : " (rerun with --verbose for the stack trace)";
  }
}
