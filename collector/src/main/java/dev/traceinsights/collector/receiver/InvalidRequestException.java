package dev.traceinsights.collector.receiver;

/** A request body that is not an OTLP trace request; the message is safe to send back. */
public final class InvalidRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
