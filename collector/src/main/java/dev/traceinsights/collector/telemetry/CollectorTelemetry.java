package dev.traceinsights.collector.telemetry;

import dev.traceinsights.collector.WholeTraceProcessor;
import dev.traceinsights.collector.assembly.WholeTraceBuffer;
import dev.traceinsights.collector.export.ExportDropReason;
import dev.traceinsights.collector.export.ExportQueue;
import dev.traceinsights.collector.receiver.ReceiverCounters;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;

/**
 * The collector's own metrics: what it received, holds, decided, exported and dropped (by reason),
 * read from the components' counters when a reader collects.
 */
public final class CollectorTelemetry {

  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> EXPORTER = AttributeKey.stringKey("exporter");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  private CollectorTelemetry() {}

  public static void register(
      Meter meter, ReceiverCounters receivers, WholeTraceProcessor processor) {
    WholeTraceBuffer buffer = processor.buffer();
    meter
        .counterBuilder("traceinsights.collector.received_spans")
        .setDescription("Spans taken by the receivers")
        .buildWithCallback(m -> m.record(receivers.acceptedSpans()));
    meter
        .counterBuilder("traceinsights.collector.refused_spans")
        .setDescription(
            "Spans of requests refused for now (memory limits reached); senders retry them")
        .buildWithCallback(m -> m.record(receivers.refusedSpans()));
    meter
        .counterBuilder("traceinsights.collector.rejected_spans")
        .setDescription("Spans left out of accepted requests (partial success)")
        .buildWithCallback(m -> m.record(receivers.rejectedSpans()));
    meter
        .counterBuilder("traceinsights.collector.malformed_requests")
        .buildWithCallback(m -> m.record(receivers.malformedRequests()));
    meter
        .upDownCounterBuilder("traceinsights.collector.buffered_spans")
        .buildWithCallback(m -> m.record(buffer.bufferedSpans()));
    meter
        .upDownCounterBuilder("traceinsights.collector.buffered_traces")
        .buildWithCallback(m -> m.record(buffer.bufferedTraces()));
    meter
        .upDownCounterBuilder("traceinsights.collector.buffered_bytes")
        .setUnit("By")
        .buildWithCallback(m -> m.record(buffer.bufferedBytes()));
    meter
        .counterBuilder("traceinsights.collector.duplicate_spans")
        .buildWithCallback(m -> m.record(buffer.duplicateSpans()));
    meter
        .counterBuilder("traceinsights.collector.late_spans")
        .buildWithCallback(
            m -> {
              m.record(processor.lateSpans());
            });
    meter
        .counterBuilder("traceinsights.collector.traces")
        .setDescription("Whole traces decided, by outcome")
        .buildWithCallback(
            m -> {
              m.record(processor.keptTraces(), Attributes.of(OUTCOME, "kept"));
              m.record(processor.droppedTraces(), Attributes.of(OUTCOME, "dropped"));
              m.record(processor.incompleteTraces(), Attributes.of(OUTCOME, "incomplete"));
              m.record(processor.unanalysedTraces(), Attributes.of(OUTCOME, "unanalysed"));
            });
    meter
        .counterBuilder("traceinsights.collector.exported_spans")
        .buildWithCallback(
            m -> {
              for (ExportQueue export : processor.exports()) {
                m.record(export.exportedSpans(), Attributes.of(EXPORTER, export.name()));
              }
            });
    meter
        .counterBuilder("traceinsights.collector.dropped_spans")
        .setDescription("Spans not exported, by exporter and reason")
        .buildWithCallback(
            m -> {
              for (ExportQueue export : processor.exports()) {
                for (ExportDropReason reason : ExportDropReason.values()) {
                  m.record(
                      export.droppedSpans(reason),
                      Attributes.of(EXPORTER, export.name(), REASON, reason.attributeValue()));
                }
              }
              m.record(
                  buffer.droppedLateSpans(),
                  Attributes.of(EXPORTER, "all", REASON, "late_queue_full"));
            });
    meter
        .upDownCounterBuilder("traceinsights.collector.queued_spans")
        .buildWithCallback(
            m -> {
              for (ExportQueue export : processor.exports()) {
                m.record(export.size(), Attributes.of(EXPORTER, export.name()));
              }
            });
  }
}
