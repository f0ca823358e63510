package dev.traceinsights.analysis;

/**
 * The spans given to {@link TraceAnalyzer} do not form a trace that can be analysed: none at all,
 * several trace ids, an invalid or duplicate span id, or a cycle in parent links. The message says
 * which, naming the span ids involved.
 */
public final class InvalidTraceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidTraceException(String message) {
    super(message);
  }
}
