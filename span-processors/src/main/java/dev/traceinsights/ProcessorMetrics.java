package dev.traceinsights;

import dev.traceinsights.assembly.AssemblyStats;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.tail.DropReason;
import dev.traceinsights.tail.KeepReason;
import dev.traceinsights.tail.TailSamplingStats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import javax.annotation.Nullable;

/**
 * The processor's own counters as asynchronous OTel instruments: what was analysed, what was not
 * and why, what the tail decisions kept and dropped. The callbacks read counters the processor
 * keeps anyway, so observing costs nothing on the span path.
 */
final class ProcessorMetrics {

  static final String SCOPE = "dev.traceinsights";

  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> DECISION = AttributeKey.stringKey("decision");

  private ProcessorMetrics() {}

  static void register(
      MeterProvider meterProvider, AssemblyStats stats, @Nullable TailSamplingStats tail) {
    Meter meter = meterProvider.get(SCOPE);
    meter
        .counterBuilder("traceinsights.traces.analyzed")
        .setUnit("{trace}")
        .setDescription("Local traces analysed.")
        .buildWithCallback(measurement -> measurement.record(stats.analyzedTraces()));
    meter
        .counterBuilder("traceinsights.spans.analyzed")
        .setUnit("{span}")
        .setDescription("Spans analysed as part of a complete local trace.")
        .buildWithCallback(measurement -> measurement.record(stats.analyzedSpans()));
    Attributes[] released = new Attributes[ReleaseReason.values().length];
    for (ReleaseReason reason : ReleaseReason.values()) {
      released[reason.ordinal()] = Attributes.of(REASON, reason.attributeValue());
    }
    meter
        .counterBuilder("traceinsights.spans.unanalyzed")
        .setUnit("{span}")
        .setDescription("Spans passed on without analysis, by reason.")
        .buildWithCallback(
            measurement -> {
              for (ReleaseReason reason : ReleaseReason.values()) {
                measurement.record(stats.releasedSpans(reason), released[reason.ordinal()]);
              }
            });
    meter
        .counterBuilder("traceinsights.spans.late")
        .setUnit("{span}")
        .setDescription("Spans that ended after their local trace was analysed.")
        .buildWithCallback(measurement -> measurement.record(stats.lateSpans()));
    meter
        .upDownCounterBuilder("traceinsights.buffer.spans")
        .setUnit("{span}")
        .setDescription("Spans waiting in the local trace buffer.")
        .buildWithCallback(measurement -> measurement.record(stats.bufferedSpans()));
    meter
        .upDownCounterBuilder("traceinsights.buffer.size")
        .setUnit("By")
        .setDescription("Estimated bytes of the spans waiting in the local trace buffer.")
        .buildWithCallback(measurement -> measurement.record(stats.bufferedBytes()));
    if (tail != null) {
      TailCounters traces = new TailCounters(tail, true);
      meter
          .counterBuilder("traceinsights.tail.traces")
          .setUnit("{trace}")
          .setDescription("Tail decisions on local traces, by decision and reason.")
          .buildWithCallback(traces::observe);
      TailCounters spans = new TailCounters(tail, false);
      meter
          .counterBuilder("traceinsights.tail.spans")
          .setUnit("{span}")
          .setDescription("Spans of the local traces decided, by decision and reason.")
          .buildWithCallback(spans::observe);
    }
  }

  /** One series per keep reason and per drop reason, with attributes built once. */
  private static final class TailCounters {
    private final TailSamplingStats stats;
    private final boolean traces;
    private final Attributes[] kept = new Attributes[KeepReason.values().length];
    private final Attributes[] dropped = new Attributes[DropReason.values().length];

    TailCounters(TailSamplingStats stats, boolean traces) {
      this.stats = stats;
      this.traces = traces;
      for (KeepReason reason : KeepReason.values()) {
        kept[reason.ordinal()] = Attributes.of(DECISION, "kept", REASON, reason.attributeValue());
      }
      for (DropReason reason : DropReason.values()) {
        dropped[reason.ordinal()] =
            Attributes.of(DECISION, "dropped", REASON, reason.attributeValue());
      }
    }

    void observe(ObservableLongMeasurement measurement) {
      for (KeepReason reason : KeepReason.values()) {
        long value = traces ? stats.keptTraces(reason) : stats.keptSpans(reason);
        measurement.record(value, kept[reason.ordinal()]);
      }
      for (DropReason reason : DropReason.values()) {
        long value = traces ? stats.droppedTraces(reason) : stats.droppedSpans(reason);
        measurement.record(value, dropped[reason.ordinal()]);
      }
    }
  }
}
