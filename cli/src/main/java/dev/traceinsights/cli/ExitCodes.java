package dev.traceinsights.cli;

/**
 * The exit codes of every command: the same situation exits with the same code in {@code analyze},
 * {@code baseline} and {@code compare}, so that a script can tell them apart.
 */
final class ExitCodes {

  /** Done; for {@code compare}, no regression at or above {@code --fail-on}. */
  static final int OK = 0;

  /** {@code compare} only: a regression at or above {@code --fail-on}. */
  static final int REGRESSION = 1;

  /** A usage error: an unknown option, a missing or invalid value (picocli's own code). */
  static final int USAGE = 2;

  /**
   * An input cannot be read or is not OTLP-JSON (not JSON, a wrong shape, too deeply nested), an
   * output cannot be written, or, with {@code --strict}, an input holds an invalid trace.
   */
  static final int INPUT = 3;

  /**
   * Nothing to work on: no input has spans, every trace was skipped, or ({@code compare}) nothing
   * was compared. A gate must not pass when the run it checks produced no data.
   */
  static final int NO_DATA = 4;

  /** Out of memory, or a bug of ours: one line says what to do. */
  static final int FAILURE = 5;

  // The lines of each command's help (picocli's exitCodeList), "code:meaning".
  static final String OK_LINE = "0:done";
  static final String REGRESSION_LINE = "1:a regression at or above --fail-on";
  static final String USAGE_LINE = "2:usage error";
  static final String INPUT_LINE =
      "3:an input cannot be read or is not OTLP-JSON, or an output cannot be written";
  static final String NO_DATA_LINE = "4:no data: no spans in the inputs, or nothing analysed";
  static final String FAILURE_LINE = "5:out of memory, or an internal error";

  private ExitCodes() {}
}
