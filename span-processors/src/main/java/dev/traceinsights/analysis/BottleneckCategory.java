package dev.traceinsights.analysis;

/** What kind of work a bottleneck span's time went to, judged from its kind and attributes. */
public enum BottleneckCategory {
  /** A database call: the span carries {@code db.system} or {@code db.system.name}. */
  DATABASE("database"),
  /** A call to another service: a CLIENT span that is neither a database nor messaging call. */
  REMOTE_CALL("remote_call"),
  /** Sending or receiving a message: {@code messaging.system}, or a PRODUCER/CONSUMER span. */
  MESSAGING("messaging"),
  /**
   * Time spent in the process itself (SERVER or INTERNAL span with no remote child covering it).
   */
  INTERNAL("internal"),
  /** Nothing on the span says what it did. */
  UNKNOWN("unknown");

  private final String attributeValue;

  BottleneckCategory(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** The value written to {@code traceinsights.*bottleneck_category} attributes. */
  public String attributeValue() {
    return attributeValue;
  }
}
