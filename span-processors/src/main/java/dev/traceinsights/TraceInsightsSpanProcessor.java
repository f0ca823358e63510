package dev.traceinsights;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.assembly.AssemblyStats;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.assembly.internal.AssemblyCounters;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.internal.ExtendedSpanProcessor;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.Nullable;

/**
 * Sits in front of an exporting processor (typically a {@code BatchSpanProcessor}) and hands it
 * every span only once the span's whole local trace has ended and been analysed, with the results
 * as {@code traceinsights.*} attributes. Whatever exporter is behind the downstream processor
 * receives the enriched spans; nothing else about export changes.
 *
 * <p>On the application thread {@link #onEnd} only offers the span to a bounded queue. Assembly,
 * analysis and enrichment run on one daemon thread ({@code traceinsights-analysis}). When the queue
 * is full the span goes straight downstream, unanalysed, and is counted ({@link
 * ReleaseReason#QUEUE_FULL}); nothing on the application thread blocks or throws.
 *
 * <pre>{@code
 * SdkTracerProvider.builder()
 *     .addSpanProcessor(SpanCaptureProcessor.create())
 *     .addSpanProcessor(
 *         TraceInsightsSpanProcessor.builder(BatchSpanProcessor.builder(exporter).build())
 *             .addListener((analysis, spans) -> System.out.println(analysis.bottlenecks()))
 *             .build())
 *     .build();
 * }</pre>
 */
public final class TraceInsightsSpanProcessor implements ExtendedSpanProcessor {

  private final SpanProcessor downstream;
  private final boolean downstreamOnEnding;
  private final Queue<ReadableSpan> queue;
  private final AnalysisWorker worker;
  private final AssemblyCounters counters;
  private final AssemblyStats stats;
  @Nullable private final TailSampler tailSampler;
  private final AtomicBoolean metricsRegistered = new AtomicBoolean();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final String description;

  TraceInsightsSpanProcessor(
      SpanProcessor downstream,
      Queue<ReadableSpan> queue,
      AnalysisWorker worker,
      AssemblyCounters counters,
      @Nullable TailSampler tailSampler,
      String description) {
    this.downstream = requireNonNull(downstream, "downstream");
    this.downstreamOnEnding =
        downstream instanceof ExtendedSpanProcessor
            && ((ExtendedSpanProcessor) downstream).isOnEndingRequired();
    this.queue = queue;
    this.worker = worker;
    this.counters = counters;
    this.stats = new AssemblyStats(counters);
    this.tailSampler = tailSampler;
    this.description = description;
  }

  /** Analyses local traces and then passes their spans to {@code downstream}. */
  public static TraceInsightsSpanProcessorBuilder builder(SpanProcessor downstream) {
    return new TraceInsightsSpanProcessorBuilder(requireNonNull(downstream, "downstream"));
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    downstream.onStart(parentContext, span);
  }

  @Override
  public boolean isStartRequired() {
    return downstream.isStartRequired();
  }

  @Override
  public void onEnding(ReadWriteSpan span) {
    ((ExtendedSpanProcessor) downstream).onEnding(span);
  }

  @Override
  public boolean isOnEndingRequired() {
    return downstreamOnEnding;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (shutdown.get()) {
      downstream.onEnd(span);
      return;
    }
    // One lock-free offer and nothing else: the worker polls on its own schedule (see
    // AnalysisWorker), so the application thread never pays for a lock, a wake-up or a second
    // look at the queue.
    if (!queue.offer(span)) {
      counters.recordReleased(ReleaseReason.QUEUE_FULL, 1);
      downstream.onEnd(span);
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /**
   * Analyses and passes on every local trace whose root has ended (without waiting for the grace
   * period), then flushes the downstream processor.
   */
  @Override
  public CompletableResultCode forceFlush() {
    return worker.requestFlush(false);
  }

  /**
   * Analyses what can be analysed, releases the rest unanalysed ({@link ReleaseReason#SHUTDOWN}),
   * stops the analysis thread and shuts the downstream processor down.
   */
  @Override
  public CompletableResultCode shutdown() {
    if (!shutdown.compareAndSet(false, true)) {
      return CompletableResultCode.ofSuccess();
    }
    return worker.requestFlush(true);
  }

  /** Counters: traces analysed, spans released unanalysed by reason, late spans, buffer size. */
  public AssemblyStats stats() {
    return stats;
  }

  /**
   * Publishes the counters of {@link #stats()} and of the tail decisions as OTel metrics under
   * {@code traceinsights.}: asynchronous instruments read when the metric reader collects. Only the
   * first call registers anything.
   */
  public void registerMetrics(MeterProvider meterProvider) {
    requireNonNull(meterProvider, "meterProvider");
    if (metricsRegistered.compareAndSet(false, true)) {
      ProcessorMetrics.register(
          meterProvider, stats, tailSampler == null ? null : tailSampler.stats());
    }
  }

  @Override
  public String toString() {
    return "TraceInsightsSpanProcessor{" + description + ", stats=" + stats + '}';
  }
}
