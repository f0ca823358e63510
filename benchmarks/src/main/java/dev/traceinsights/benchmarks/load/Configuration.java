package dev.traceinsights.benchmarks.load;

/** The three ways the demo services run in the load comparison. */
enum Configuration {
  /** Plain JVMs: the floor. */
  NO_AGENT("no agent"),
  /** The OpenTelemetry javaagent, exporting OTLP/HTTP to the local receiver. */
  AGENT("agent"),
  /** The same agent and exporter with the Trace Insights extension. */
  AGENT_EXTENSION("agent + extension");

  private final String label;

  Configuration(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
