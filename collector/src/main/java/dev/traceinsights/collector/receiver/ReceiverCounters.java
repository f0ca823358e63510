package dev.traceinsights.collector.receiver;

import java.util.concurrent.atomic.LongAdder;

/** What the receivers took and refused, by transport, for the collector's own metrics. */
public final class ReceiverCounters {

  private final LongAdder acceptedSpans = new LongAdder();
  private final LongAdder rejectedSpans = new LongAdder();
  private final LongAdder refusedSpans = new LongAdder();
  private final LongAdder malformedRequests = new LongAdder();

  void accepted(int spans) {
    acceptedSpans.add(spans);
  }

  /** Spans left out of an accepted request (partial success). */
  void rejected(int spans) {
    rejectedSpans.add(spans);
  }

  /** Spans of a request refused for now (back-off), which the sender will offer again. */
  void refused(int spans) {
    refusedSpans.add(spans);
  }

  void malformed() {
    malformedRequests.increment();
  }

  public long acceptedSpans() {
    return acceptedSpans.sum();
  }

  public long rejectedSpans() {
    return rejectedSpans.sum();
  }

  public long refusedSpans() {
    return refusedSpans.sum();
  }

  public long malformedRequests() {
    return malformedRequests.sum();
  }
}
