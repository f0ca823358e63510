package dev.traceinsights.benchmarks.hotpath;

import dev.traceinsights.TraceInsightsSpanProcessor;
import dev.traceinsights.benchmarks.DiscardingSpanExporter;
import dev.traceinsights.capture.SpanCaptureProcessor;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import javax.annotation.Nullable;

/** What sits between the tracer and a discarding exporter in the hot-path benchmarks. */
public enum Pipeline {
  /** The floor: the SDK's BatchSpanProcessor alone. */
  SDK,
  /** Trace Insights with allocation tracking off (thread name only) and the analysis hand-off. */
  INSIGHTS_NO_ALLOCATIONS,
  /** Trace Insights as configured by default: allocation tracking on, CPU time off. */
  INSIGHTS,
  /** Trace Insights with allocation tracking and CPU time. */
  INSIGHTS_CPU_TIME;

  /** A started tracer provider with this pipeline; the caller shuts it down. */
  Built build() {
    BatchSpanProcessor batch = BatchSpanProcessor.builder(new DiscardingSpanExporter()).build();
    SdkTracerProviderBuilder builder = SdkTracerProvider.builder();
    TraceInsightsSpanProcessor insights = null;
    if (this == SDK) {
      builder.addSpanProcessor(batch);
    } else {
      builder.addSpanProcessor(
          SpanCaptureProcessor.builder()
              .setCaptureAllocations(this != INSIGHTS_NO_ALLOCATIONS)
              .setCaptureCpuTime(this == INSIGHTS_CPU_TIME)
              .build());
      insights = TraceInsightsSpanProcessor.builder(batch).build();
      builder.addSpanProcessor(insights);
    }
    return new Built(builder.build(), insights);
  }

  /** The provider, and Trace Insights' processor when the pipeline has one. */
  record Built(SdkTracerProvider tracerProvider, @Nullable TraceInsightsSpanProcessor insights) {}
}
