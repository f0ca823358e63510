package dev.traceinsights.benchmarks;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/**
 * Accepts every batch and drops it: the cheapest exporter, so that a benchmark measures the span
 * pipeline in front of it. Counts what it received, to show spans did get through.
 */
public final class DiscardingSpanExporter implements SpanExporter {

  private final LongAdder exported = new LongAdder();

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    exported.add(spans.size());
    return CompletableResultCode.ofSuccess();
  }

  /** Spans received so far. */
  public long exportedSpans() {
    return exported.sum();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "DiscardingSpanExporter{exported=" + exportedSpans() + '}';
  }
}
