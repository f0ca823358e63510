package dev.traceinsights.collector.export;

/** Why spans were not exported; every dropped span is counted under one of these. */
public enum ExportDropReason {
  /** The sending queue was full when the spans were offered. */
  QUEUE_FULL("queue_full"),
  /** The backend kept failing for longer than the retry time allowed. */
  RETRIES_EXHAUSTED("retries_exhausted"),
  /** The collector stopped before the spans could be sent. */
  SHUTDOWN("shutdown");

  private final String attributeValue;

  ExportDropReason(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  public String attributeValue() {
    return attributeValue;
  }
}
