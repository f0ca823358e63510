package dev.traceinsights.stats;

/** Why a retained trace analysis was let go before anyone asked for it. */
public enum EvictionReason {
  /** It was older than the retention TTL. */
  TTL,
  /** More analyses were retained than the maximum count. */
  COUNT,
  /** The retained analyses' estimated size went over the maximum bytes. */
  SIZE
}
