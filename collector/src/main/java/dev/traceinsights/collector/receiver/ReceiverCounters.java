package dev.traceinsights.collector.receiver;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
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

  /**
   * Counts a taken request and answers it as the OTLP specification asks: empty, or with partial
   * success when some of its spans were left out.
   */
  ExportTraceServiceResponse answerAccepted(ReceivedSpans received) {
    accepted(received.spans().size());
    ExportTraceServiceResponse.Builder answer = ExportTraceServiceResponse.newBuilder();
    if (received.rejected() > 0) {
      rejected(received.rejected());
      answer.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(received.rejected())
              .setErrorMessage(received.firstRejection()));
    }
    return answer.build();
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
