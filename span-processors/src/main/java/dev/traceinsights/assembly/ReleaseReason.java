package dev.traceinsights.assembly;

/** Why spans were exported without analysis. Each is counted; see {@link AssemblyStats}. */
public enum ReleaseReason {
  /** More local traces in flight than {@code maxTraces}: the oldest was released. */
  TRACE_LIMIT("trace_limit"),
  /** A local trace grew beyond {@code maxSpansPerTrace}. */
  SPAN_LIMIT("span_limit"),
  /** Buffered spans were estimated above {@code maxBytes}: the oldest traces were released. */
  BYTE_LIMIT("byte_limit"),
  /** The local root did not end within {@code traceTimeout} of the trace's first span. */
  TIMEOUT("timeout"),
  /** The hand-off queue to the analysis thread was full; the span went straight to export. */
  QUEUE_FULL("queue_full"),
  /** The analysis rejected the spans (e.g. duplicate span ids) or failed. */
  ANALYSIS_FAILED("analysis_failed"),
  /** The processor shut down before the local root ended. */
  SHUTDOWN("shutdown");

  private final String attributeValue;

  ReleaseReason(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** The value of {@code traceinsights.span.unanalyzed} on released spans. */
  public String attributeValue() {
    return attributeValue;
  }
}
