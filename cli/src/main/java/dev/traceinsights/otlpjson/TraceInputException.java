package dev.traceinsights.otlpjson;

import javax.annotation.Nullable;

/**
 * An input of the offline tools that cannot be read. The message names the file and says what is
 * wrong, ready to be shown to a user as it is.
 */
public final class TraceInputException extends Exception {

  private static final long serialVersionUID = 1L;

  public TraceInputException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
