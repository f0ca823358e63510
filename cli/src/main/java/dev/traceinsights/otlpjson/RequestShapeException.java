package dev.traceinsights.otlpjson;

/**
 * A request that is valid JSON but not a valid {@code ExportTraceServiceRequest}; the message
 * starts with the JSON path of the offending value. The reader adds the input's name and line.
 */
final class RequestShapeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  RequestShapeException(String message) {
    super(message);
  }
}
