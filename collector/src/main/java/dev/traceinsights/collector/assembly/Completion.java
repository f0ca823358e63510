package dev.traceinsights.collector.assembly;

/** Why a buffered trace was handed on for its decision. */
public enum Completion {
  /** Its root is present, every span's parent is present, and the quiet period passed. */
  COMPLETE("complete"),
  /** The hard timeout passed before it looked complete. */
  TIMEOUT("timeout"),
  /** It reached the span limit per trace; later spans follow the decision as late spans. */
  SPAN_LIMIT("span_limit"),
  /** The collector is shutting down. */
  SHUTDOWN("shutdown");

  private final String attributeValue;

  Completion(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** The value on the {@code traceinsights.trace.incomplete} attribute and metrics. */
  public String attributeValue() {
    return attributeValue;
  }
}
