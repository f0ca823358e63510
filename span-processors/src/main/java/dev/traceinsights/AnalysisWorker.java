package dev.traceinsights;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.assembly.internal.AssemblyCounters;
import dev.traceinsights.assembly.internal.LocalTraceBuffer;
import dev.traceinsights.assembly.internal.LocalTraceSink;
import dev.traceinsights.enrichment.internal.ExportableSpan;
import dev.traceinsights.enrichment.internal.SpanEnricher;
import dev.traceinsights.internal.ThrottledLogger;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.stats.StatisticsHistory;
import dev.traceinsights.tail.KeepReason;
import dev.traceinsights.tail.OperationHistory;
import dev.traceinsights.tail.TailDecision;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * The one thread that owns the local trace buffer: it takes ended spans from the hand-off queue,
 * assembles local traces, analyses and enriches them, passes them to the downstream processor and
 * notifies listeners. Application threads only ever touch the queue.
 */
final class AnalysisWorker implements Runnable, LocalTraceSink {

  private static final Logger logger = Logger.getLogger(TraceInsightsSpanProcessor.class.getName());

  /**
   * How long the worker sleeps when the queue was empty: spans wait at most this long in the queue.
   * Application threads never wake the worker, so this bounds the latency it adds.
   */
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * The shortest sleep while spans flow or traces are due: due traces are completed at the next
   * tick rather than each at its own moment. Waking for every trace and every 5 ms cost more CPU
   * than the analysis itself under the load run (about 200 µs per request on the worker threads,
   * against 56 µs of sampled Java code): a wake-up is a futex and a timer, which in a virtual
   * machine are exits to the hypervisor. A trace is therefore exported up to this much later than
   * its grace.
   */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  /**
   * The sleep while spans arrive fast: when one wake-up drained an eighth of the queue, the next
   * comes sooner so that the queue stays far from full (the default queue of 16 384 spans then
   * holds 3 million spans per second).
   */
  static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final Queue<ReadableSpan> queue;
  // Spans drained in one wake-up from which the worker counts as busy.
  private final int busyDrain;
  private final LocalTraceBuffer buffer;
  private final TraceAnalyzer analyzer;
  private final SpanEnricher enricher;
  private final List<TraceAnalysisListener> listeners;
  private final SpanProcessor downstream;
  private final Clock clock;
  private final AssemblyCounters stats;
  @Nullable private final TailSampler tailSampler;
  @Nullable private final LiveStatistics statistics;
  private final OperationHistory history;
  private final Queue<FlushRequest> flushRequests = new ConcurrentLinkedQueue<>();
  // One per fault: a recurring one keeps surfacing, rate-limited, without hiding the others.
  private final ThrottledLogger analysisFailures = ThrottledLogger.of(logger);
  private final ThrottledLogger listenerFailures = ThrottledLogger.of(logger);
  private final ThrottledLogger downstreamFailures = ThrottledLogger.of(logger);
  private final ThrottledLogger statisticsFailures = ThrottledLogger.of(logger);
  private volatile boolean running = true;
  @Nullable private volatile Thread thread;

  AnalysisWorker(
      Queue<ReadableSpan> queue,
      int queueCapacity,
      AssemblyLimits limits,
      TraceAnalyzer analyzer,
      SpanEnricher enricher,
      List<TraceAnalysisListener> listeners,
      SpanProcessor downstream,
      Clock clock,
      AssemblyCounters stats,
      @Nullable TailSampler tailSampler,
      @Nullable LiveStatistics statistics) {
    this.queue = queue;
    this.busyDrain = Math.max(1, queueCapacity / 8);
    // The buffer calls back into this worker only from add/advance/drain, never while constructed.
    this.buffer = new LocalTraceBuffer(limits, this, stats);
    this.analyzer = analyzer;
    this.enricher = enricher;
    this.listeners = List.copyOf(listeners);
    this.downstream = downstream;
    this.clock = clock;
    this.stats = stats;
    this.tailSampler = tailSampler;
    this.statistics = statistics;
    this.history = statistics == null ? OperationHistory.NONE : new StatisticsHistory(statistics);
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    while (running) {
      try {
        int drained = drainQueue();
        FlushRequest request;
        while ((request = flushRequests.poll()) != null) {
          flush(request);
        }
        if (!running) {
          break;
        }
        long now = clock.nanoTime();
        buffer.advance(now);
        if (queue.isEmpty() && flushRequests.isEmpty()) {
          LockSupport.parkNanos(
              this, sleepNanos(drained, busyDrain, buffer.nanosUntilNextDue(now)));
        }
      } catch (RuntimeException e) {
        // The worker must survive anything: if it died, every span would take the queue-full path.
        warn(analysisFailures, "Trace Insights analysis thread recovered from an error", e);
      }
    }
    // Spans and flushes that raced with shutdown are passed on rather than lost.
    ReadableSpan span;
    while ((span = queue.poll()) != null) {
      stats.recordReleased(ReleaseReason.SHUTDOWN, 1);
      forward(span);
    }
    FlushRequest late;
    while ((late = flushRequests.poll()) != null) {
      late.result.succeed();
    }
  }

  /** Asks the worker to finish what it holds; the result completes after the downstream's. */
  CompletableResultCode requestFlush(boolean shutdown) {
    FlushRequest request = new FlushRequest(shutdown);
    if (!running) {
      return shutdown ? downstream.shutdown() : downstream.forceFlush();
    }
    flushRequests.add(request);
    wakeUp();
    return request.result;
  }

  /** Wakes the worker for a flush; application threads never call this. */
  private void wakeUp() {
    Thread worker = thread;
    if (worker != null) {
      LockSupport.unpark(worker);
    }
  }

  /**
   * How long to sleep after draining {@code drained} spans, with the next trace due then; {@code
   * busyDrain} spans or more in one wake-up count as busy.
   */
  static long sleepNanos(int drained, int busyDrain, long nanosUntilNextDue) {
    if (drained >= busyDrain) {
      return BUSY_NANOS;
    }
    if (drained == 0 && nanosUntilNextDue == Long.MAX_VALUE) {
      return IDLE_NANOS;
    }
    return Math.min(IDLE_NANOS, Math.max(TICK_NANOS, nanosUntilNextDue));
  }

  /** Moves every queued span into the buffer; how many there were. */
  private int drainQueue() {
    int drained = 0;
    ReadableSpan span;
    while ((span = queue.poll()) != null) {
      buffer.add(span.toSpanData(), clock.nanoTime());
      drained++;
    }
    return drained;
  }

  private void flush(FlushRequest request) {
    drainQueue();
    CompletableResultCode downstreamResult;
    if (request.shutdown) {
      buffer.drain(ReleaseReason.SHUTDOWN);
      running = false;
      downstreamResult = downstream.shutdown();
    } else {
      buffer.completeEnded();
      downstreamResult = downstream.forceFlush();
    }
    downstreamResult.whenComplete(
        () -> {
          if (downstreamResult.isSuccess()) {
            request.result.succeed();
          } else {
            request.result.fail();
          }
        });
  }

  @Override
  public void complete(SpanData localRoot, List<SpanData> spans) {
    TraceAnalysis analysis;
    TailDecision decision;
    boolean exported;
    List<SpanData> enriched;
    try {
      analysis = analyzer.analyze(spans);
      decision =
          tailSampler == null
              ? null
              : tailSampler.decide(analysis, localRoot, history, clock.nanoTime());
      exported = decision == null || decision.isKept();
      // A dropped trace is enriched only for listeners, which receive every analysed trace.
      if (exported) {
        KeepReason kept = decision == null ? null : decision.keepReason();
        enriched = enricher.enrich(analysis, spans, kept == null ? null : kept.attributeValue());
      } else {
        enriched = listeners.isEmpty() ? List.of() : enricher.enrich(analysis, spans);
      }
    } catch (RuntimeException | StackOverflowError e) {
      warn(
          analysisFailures,
          "Trace Insights could not analyse trace "
              + localRoot.getTraceId()
              + "; its spans are exported unanalysed (failures are counted; this message is"
              + " rate-limited)",
          e);
      release(spans, ReleaseReason.ANALYSIS_FAILED);
      stats.recordReleased(ReleaseReason.ANALYSIS_FAILED, spans.size());
      return;
    }
    stats.recordAnalyzed(spans.size());
    if (statistics != null) {
      // After the tail decision, so that "slower than usual" and "rare" compare the trace with
      // the ones before it.
      try {
        statistics.recordTrace(analysis, spans);
      } catch (RuntimeException e) {
        warn(statisticsFailures, "Trace Insights live statistics failed", e);
      }
    }
    // A trace the tail decision dropped was recorded but never sampled: the downstream processor
    // would skip its spans anyway, so they are not handed over at all.
    if (exported) {
      for (SpanData span : enriched) {
        forward(new ExportableSpan(span));
      }
    }
    for (TraceAnalysisListener listener : listeners) {
      try {
        listener.onTraceAnalyzed(analysis, enriched);
      } catch (RuntimeException e) {
        stats.recordListenerFailure();
        warn(listenerFailures, "Trace Insights listener " + listener + " failed", e);
      }
    }
  }

  @Override
  public void release(List<SpanData> spans, ReleaseReason reason) {
    for (SpanData span : spans) {
      recordUnanalyzed(span);
      forward(new ExportableSpan(SpanEnricher.markUnanalyzed(span, reason)));
    }
  }

  @Override
  public void late(SpanData span, @Nullable ReleaseReason earlierReason) {
    recordUnanalyzed(span);
    if (earlierReason != null) {
      forward(new ExportableSpan(SpanEnricher.markUnanalyzed(span, earlierReason)));
      return;
    }
    TailDecision decision = tailSampler == null ? null : tailSampler.decisionFor(span.getTraceId());
    if (decision == null) {
      forward(new ExportableSpan(SpanEnricher.markLate(span)));
      return;
    }
    // Late spans follow the decision already made on their trace.
    tailSampler.recordLate(decision);
    KeepReason kept = decision.keepReason();
    if (kept != null) {
      forward(new ExportableSpan(SpanEnricher.markLate(span, kept.attributeValue())));
    }
  }

  /** Spans outside an analysed trace still count in the statistics, without a self time. */
  private void recordUnanalyzed(SpanData span) {
    if (statistics != null) {
      try {
        statistics.recordUnanalyzed(span);
      } catch (RuntimeException e) {
        warn(statisticsFailures, "Trace Insights live statistics failed", e);
      }
    }
  }

  private void forward(ReadableSpan span) {
    try {
      downstream.onEnd(span);
    } catch (RuntimeException e) {
      warn(downstreamFailures, "Span processor " + downstream + " failed in onEnd", e);
    }
  }

  private static void warn(ThrottledLogger throttled, String message, Throwable error) {
    throttled.log(Level.WARNING, message, error);
  }

  private static final class FlushRequest {
    final boolean shutdown;
    final CompletableResultCode result = new CompletableResultCode();

    FlushRequest(boolean shutdown) {
      this.shutdown = shutdown;
    }
  }
}
