package dev.traceinsights.otlpjson;

/**
 * An OTLP-JSON input that cannot be read as traces. The message names the input and says where and
 * what is wrong, e.g. {@code traces.json: line 3, column 17: not valid JSON: ...} or {@code
 * traces.jsonl: request at line 2: resourceSpans[0].scopeSpans[1].spans[3]: missing spanId}, so
 * that it can be shown to a user as it is.
 */
public final class OtlpJsonException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String source;

  OtlpJsonException(String source, String message) {
    super(source + ": " + message);
    this.source = source;
  }

  /** The name of the input the error was found in, as given to the reader. */
  public String source() {
    return source;
  }
}
