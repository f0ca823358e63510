package dev.traceinsights.tail;

/** Why a local trace that head sampling had not sampled was not exported either. */
public enum DropReason {
  /** No keep policy matched. */
  NOT_SELECTED("not_selected"),
  /** A policy matched, but the cap on kept traces per second was reached. */
  RATE_LIMITED("rate_limited");

  private final String attributeValue;

  DropReason(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  public String attributeValue() {
    return attributeValue;
  }
}
