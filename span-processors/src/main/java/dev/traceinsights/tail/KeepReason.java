package dev.traceinsights.tail;

/**
 * Why a local trace was exported. When several apply, the first in declaration order is the one
 * recorded.
 */
public enum KeepReason {
  /** The head sampler (or a sampled remote parent) had already sampled the local root. */
  HEAD("head"),
  /** A span of the local trace errored. */
  ERROR("error"),
  /** The local root took at least the absolute threshold, or longer than its operation's p99. */
  SLOW("slow"),
  /** The bottleneck span's category is one the user asked to keep. */
  BOTTLENECK("bottleneck"),
  /** The analysis found repeated statements under one parent (N+1). */
  N_PLUS_ONE("n_plus_one"),
  /** The local root's operation was seen fewer than the threshold times in the recent window. */
  RARE("rare"),
  /** None of the above, but the trace id fell within the configured probability. */
  PROBABILISTIC("probabilistic");

  private final String attributeValue;

  KeepReason(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /** The value of {@code traceinsights.sampling.reason} on the trace's exported spans. */
  public String attributeValue() {
    return attributeValue;
  }
}
