package dev.traceinsights;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.internal.AssemblyCounters;
import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.enrichment.internal.SpanEnricher;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.internal.JcTools;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import javax.annotation.Nullable;

/** Builds a {@link TraceInsightsSpanProcessor}. */
public final class TraceInsightsSpanProcessorBuilder {

  public static final int DEFAULT_QUEUE_SIZE = 16_384;

  private final SpanProcessor downstream;
  private AnalysisSettings analysisSettings = AnalysisSettings.defaults();
  private AssemblyLimits assemblyLimits = AssemblyLimits.defaults();
  private int queueSize = DEFAULT_QUEUE_SIZE;
  private AttributeLevel attributeLevel = AttributeLevel.DEFAULT;

  /** Per-span allocations are exported from this many bytes up (1 MiB). */
  public static final long DEFAULT_MIN_ALLOCATED_BYTES = SpanEnricher.DEFAULT_MIN_ALLOCATED_BYTES;

  private long minAllocatedBytes = DEFAULT_MIN_ALLOCATED_BYTES;
  private final List<TraceAnalysisListener> listeners = new ArrayList<>();
  private Clock clock = Clock.getDefault();
  @Nullable private TailSampler tailSampler;
  @Nullable private LiveStatistics statistics;

  TraceInsightsSpanProcessorBuilder(SpanProcessor downstream) {
    this.downstream = downstream;
  }

  /** Thresholds of the analysis (depth, fan-out, N+1). */
  public TraceInsightsSpanProcessorBuilder setAnalysisSettings(AnalysisSettings analysisSettings) {
    this.analysisSettings = requireNonNull(analysisSettings, "analysisSettings");
    return this;
  }

  /** Bounds of the local trace buffer: traces, spans per trace, bytes, grace and timeout. */
  public TraceInsightsSpanProcessorBuilder setAssemblyLimits(AssemblyLimits assemblyLimits) {
    this.assemblyLimits = requireNonNull(assemblyLimits, "assemblyLimits");
    return this;
  }

  /**
   * Spans that may wait between the application threads and the analysis thread; beyond it spans
   * are exported unanalysed and counted. Default {@value #DEFAULT_QUEUE_SIZE}.
   */
  public TraceInsightsSpanProcessorBuilder setQueueSize(int queueSize) {
    if (queueSize < 1) {
      throw new IllegalArgumentException("queueSize must be positive");
    }
    this.queueSize = queueSize;
    return this;
  }

  /**
   * How much of the analysis is added to exported spans (see {@link AttributeLevel}). Default
   * {@code standard}.
   */
  public TraceInsightsSpanProcessorBuilder setAttributeLevel(AttributeLevel attributeLevel) {
    this.attributeLevel = requireNonNull(attributeLevel, "attributeLevel");
    return this;
  }

  /**
   * At the {@code standard} level, spans that allocated fewer bytes than this are exported without
   * their {@code traceinsights.span.allocated_bytes} (statistics and trace totals still count
   * them). Default 1 MiB.
   */
  public TraceInsightsSpanProcessorBuilder setMinAllocatedBytes(long minAllocatedBytes) {
    if (minAllocatedBytes < 0) {
      throw new IllegalArgumentException("minAllocatedBytes must be non-negative");
    }
    this.minAllocatedBytes = minAllocatedBytes;
    return this;
  }

  /**
   * Decides per complete local trace whether it is exported (see {@link TailSampler}). Without one,
   * export follows head sampling alone.
   */
  public TraceInsightsSpanProcessorBuilder setTailSampler(TailSampler tailSampler) {
    this.tailSampler = requireNonNull(tailSampler, "tailSampler");
    return this;
  }

  /**
   * Live per-operation statistics, fed with every span the processor sees (analysed or not), and
   * consulted by the tail sampler for "slower than usual" and "rare". Give each {@link
   * LiveStatistics} to one processor only: it has one writer.
   */
  public TraceInsightsSpanProcessorBuilder setLiveStatistics(LiveStatistics statistics) {
    this.statistics = requireNonNull(statistics, "statistics");
    return this;
  }

  /** Receives each analysed local trace on the analysis thread. */
  public TraceInsightsSpanProcessorBuilder addListener(TraceAnalysisListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
    return this;
  }

  /** The clock that times grace periods and timeouts; for tests. */
  TraceInsightsSpanProcessorBuilder setClock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /** Builds the processor and starts its analysis thread. */
  public TraceInsightsSpanProcessor build() {
    AssemblyCounters counters = new AssemblyCounters();
    SpanEnricher enricher = SpanEnricher.create(attributeLevel, minAllocatedBytes);
    // The SDK's own bounded multi-producer queue (the one its BatchSpanProcessor uses): offers
    // are lock-free, where an ArrayBlockingQueue would make application threads contend for the
    // worker's lock. Its capacity is queueSize rounded up to a power of two.
    Queue<ReadableSpan> queue = JcTools.newFixedSizeQueue(queueSize);
    AnalysisWorker worker =
        new AnalysisWorker(
            queue,
            queueSize,
            assemblyLimits,
            TraceAnalyzer.create(analysisSettings),
            enricher,
            listeners,
            downstream,
            clock,
            counters,
            tailSampler,
            statistics);
    Thread thread = new Thread(worker, "traceinsights-analysis");
    thread.setDaemon(true);
    thread.start();
    return new TraceInsightsSpanProcessor(
        downstream,
        queue,
        worker,
        counters,
        tailSampler,
        "downstream="
            + downstream
            + ", analysisSettings="
            + analysisSettings
            + ", assemblyLimits="
            + assemblyLimits
            + ", queueSize="
            + queueSize
            + ", enricher="
            + enricher
            + ", tailSampler="
            + tailSampler
            + ", statistics="
            + statistics);
  }
}
