package dev.traceinsights.collector;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.collector.analysis.ClockSkewAdjuster;
import dev.traceinsights.collector.analysis.ServiceGraph;
import dev.traceinsights.collector.assembly.Completion;
import dev.traceinsights.collector.assembly.ReadyTrace;
import dev.traceinsights.collector.assembly.WholeTraceBuffer;
import dev.traceinsights.collector.export.ExportQueue;
import dev.traceinsights.collector.receiver.Admission;
import dev.traceinsights.collector.receiver.SpanIntake;
import dev.traceinsights.enrichment.internal.SpanEnricher;
import dev.traceinsights.internal.ThrottledLogger;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.stats.StatisticsHistory;
import dev.traceinsights.tail.KeepReason;
import dev.traceinsights.tail.OperationHistory;
import dev.traceinsights.tail.TailDecision;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * The collector's middle: whole traces from the {@link WholeTraceBuffer} are adjusted for clock
 * skew, analysed, decided by the tail sampler once for every service's spans, enriched, counted in
 * the statistics and the service graph, and queued for every exporter. One thread does all of it;
 * receivers only add to the buffer ({@link #offer}), which refuses for now while the buffer or an
 * exporter's queue is full.
 */
public final class WholeTraceProcessor implements SpanIntake, AutoCloseable {

  /** On the trace's root when it was decided before it looked complete: why. */
  public static final AttributeKey<String> TRACE_INCOMPLETE =
      AttributeKey.stringKey("traceinsights.trace.incomplete");

  /** How many services' spans the whole trace has; on its root. */
  public static final AttributeKey<Long> TRACE_SERVICE_COUNT =
      AttributeKey.longKey("traceinsights.trace.service_count");

  /** The clock-skew shift the analysis applied to this span, in nanoseconds; only when not 0. */
  public static final AttributeKey<Long> SPAN_CLOCK_SKEW_NS =
      AttributeKey.longKey("traceinsights.span.clock_skew_ns");

  private static final Logger logger = Logger.getLogger(WholeTraceProcessor.class.getName());
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final WholeTraceBuffer buffer;
  private final TraceAnalyzer analyzer;
  private final SpanEnricher enricher;
  @Nullable private final TailSampler tailSampler;
  @Nullable private final LiveStatistics statistics;
  private final OperationHistory history;
  private final ServiceGraph serviceGraph;
  private final List<ExportQueue> exports;
  private final Clock clock;
  private final Thread thread;
  private final ThrottledLogger failures = ThrottledLogger.of(logger);
  private final LongAdder decidedTraces = new LongAdder();
  private final LongAdder keptTraces = new LongAdder();
  private final LongAdder droppedTraces = new LongAdder();
  private final LongAdder incompleteTraces = new LongAdder();
  private final LongAdder unanalysedTraces = new LongAdder();
  private final LongAdder lateSpans = new LongAdder();
  private volatile boolean running = true;

  public WholeTraceProcessor(
      WholeTraceBuffer buffer,
      TraceAnalyzer analyzer,
      SpanEnricher enricher,
      @Nullable TailSampler tailSampler,
      @Nullable LiveStatistics statistics,
      ServiceGraph serviceGraph,
      List<ExportQueue> exports,
      Clock clock) {
    this.buffer = buffer;
    this.analyzer = analyzer;
    this.enricher = enricher;
    this.tailSampler = tailSampler;
    this.statistics = statistics;
    this.history = statistics == null ? OperationHistory.NONE : new StatisticsHistory(statistics);
    this.serviceGraph = serviceGraph;
    this.exports = List.copyOf(exports);
    this.clock = clock;
    this.thread = new Thread(this::run, "traceinsights-whole-trace");
    thread.setDaemon(true);
  }

  public WholeTraceProcessor start() {
    thread.start();
    return this;
  }

  @Override
  public Admission offer(List<SpanData> spans) {
    Admission behind = ExportQueue.refusalWhileBehind(exports);
    return behind != null ? behind : buffer.add(spans, clock.nanoTime());
  }

  private void run() {
    while (running) {
      try {
        long now = clock.nanoTime();
        for (ReadyTrace trace : buffer.takeDue(now)) {
          decide(trace);
        }
        for (SpanData span : buffer.takeLate()) {
          late(span);
        }
        LockSupport.parkNanos(this, Math.min(MAX_IDLE_NANOS, buffer.nanosUntilNextDue(now)));
      } catch (RuntimeException e) {
        failures.log(Level.WARNING, "Trace Insights collector recovered from an error", e);
      }
    }
  }

  /** Decides and queues one whole trace; on the processor thread, or the caller's at shutdown. */
  void decide(ReadyTrace trace) {
    decidedTraces.increment();
    if (trace.completion() != Completion.COMPLETE) {
      incompleteTraces.increment();
    }
    List<SpanData> spans = trace.spans();
    ClockSkewAdjuster.Adjusted adjusted = ClockSkewAdjuster.adjust(spans);
    TraceAnalysis analysis;
    TailDecision decision;
    try {
      analysis = analyzer.analyze(adjusted.spans());
      SpanData root = root(adjusted.spans(), analysis.rootSpanId());
      decision =
          tailSampler == null
              ? null
              : tailSampler.decide(analysis, root, history, clock.nanoTime());
    } catch (RuntimeException | StackOverflowError e) {
      failures.log(
          Level.WARNING,
          "Trace Insights collector could not analyse trace "
              + trace.traceId()
              + "; its spans are exported unanalysed (rate-limited message)",
          e);
      unanalysedTraces.increment();
      List<SpanData> marked = new ArrayList<>(spans.size());
      for (SpanData span : spans) {
        marked.add(SpanEnricher.markUnanalyzed(span, ReleaseReason.ANALYSIS_FAILED));
      }
      queue(marked);
      return;
    }
    if (statistics != null) {
      try {
        statistics.recordTrace(analysis, adjusted.spans());
      } catch (RuntimeException e) {
        failures.log(Level.WARNING, "Trace Insights collector statistics failed", e);
      }
    }
    serviceGraph.record(adjusted.spans());
    if (decision != null && !decision.isKept()) {
      droppedTraces.increment();
      return;
    }
    keptTraces.increment();
    KeepReason kept = decision == null ? null : decision.keepReason();
    List<SpanData> enriched =
        enricher.enrich(analysis, spans, kept == null ? null : kept.attributeValue());
    queue(withCollectorAttributes(enriched, analysis.rootSpanId(), adjusted, trace.completion()));
  }

  private void late(SpanData span) {
    lateSpans.increment();
    TailDecision decision = tailSampler == null ? null : tailSampler.decisionFor(span.getTraceId());
    if (decision == null) {
      // No tail decisions, or one forgotten: keeping is the safe side.
      queue(List.of(SpanEnricher.markLate(span)));
      return;
    }
    tailSampler.recordLate(decision);
    KeepReason kept = decision.keepReason();
    if (kept != null) {
      queue(List.of(SpanEnricher.markLate(span, kept.attributeValue())));
    }
  }

  private void queue(List<SpanData> spans) {
    for (ExportQueue export : exports) {
      export.offer(spans);
    }
  }

  /** The clock-skew shifts, and on the root the service count and why it is incomplete. */
  private static List<SpanData> withCollectorAttributes(
      List<SpanData> spans,
      String rootSpanId,
      ClockSkewAdjuster.Adjusted adjusted,
      Completion completion) {
    Map<String, Long> shifts = adjusted.shiftNanosBySpanId();
    List<SpanData> result = new ArrayList<>(spans.size());
    long services = serviceCount(spans);
    for (SpanData span : spans) {
      Long shift = shifts.get(span.getSpanId());
      boolean root = span.getSpanId().equals(rootSpanId);
      if (shift == null && !root) {
        result.add(span);
        continue;
      }
      List<Object> added = new ArrayList<>(6);
      if (shift != null) {
        added.add(SPAN_CLOCK_SKEW_NS);
        added.add(shift);
      }
      if (root) {
        added.add(TRACE_SERVICE_COUNT);
        added.add(services);
        if (completion != Completion.COMPLETE) {
          added.add(TRACE_INCOMPLETE);
          added.add(completion.attributeValue());
        }
      }
      result.add(SpanEnricher.withAdded(span, added.toArray()));
    }
    return result;
  }

  private static long serviceCount(List<SpanData> spans) {
    // Spans of one service share a resource object when they came in one request.
    Resource first = spans.get(0).getResource();
    Set<String> services = null;
    for (SpanData span : spans) {
      if (span.getResource() != first) {
        if (services == null) {
          services = new HashSet<>();
          services.add(String.valueOf(first.getAttribute(SERVICE_NAME)));
        }
        services.add(String.valueOf(span.getResource().getAttribute(SERVICE_NAME)));
      }
    }
    return services == null ? 1 : services.size();
  }

  private static SpanData root(List<SpanData> spans, String rootSpanId) {
    for (SpanData span : spans) {
      if (span.getSpanId().equals(rootSpanId)) {
        return span;
      }
    }
    return spans.get(0);
  }

  /**
   * Stops taking new traces, decides everything buffered and hands it to the exporters, which get
   * the rest of {@code timeout} to send it.
   */
  public void shutdown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ReadyTrace trace : buffer.takeAll()) {
      decide(trace);
    }
    for (SpanData span : buffer.takeLate()) {
      late(span);
    }
    for (ExportQueue export : exports) {
      export.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }

  public WholeTraceBuffer buffer() {
    return buffer;
  }

  public ServiceGraph serviceGraph() {
    return serviceGraph;
  }

  public List<ExportQueue> exports() {
    return exports;
  }

  @Nullable
  public LiveStatistics statistics() {
    return statistics;
  }

  public long decidedTraces() {
    return decidedTraces.sum();
  }

  public long keptTraces() {
    return keptTraces.sum();
  }

  public long droppedTraces() {
    return droppedTraces.sum();
  }

  public long incompleteTraces() {
    return incompleteTraces.sum();
  }

  public long unanalysedTraces() {
    return unanalysedTraces.sum();
  }

  public long lateSpans() {
    return lateSpans.sum();
  }
}
