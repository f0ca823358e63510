package dev.traceinsights.analysis;

/** Where a measured value stands against a warning and a critical threshold. */
public enum ThresholdStatus {
  OK("ok"),
  WARNING("warning"),
  CRITICAL("critical");

  private final String attributeValue;

  ThresholdStatus(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** {@code value > critical} is CRITICAL, {@code value > warning} is WARNING, else OK. */
  public static ThresholdStatus of(long value, long warning, long critical) {
    if (value > critical) {
      return CRITICAL;
    }
    return value > warning ? WARNING : OK;
  }

  public String attributeValue() {
    return attributeValue;
  }
}
