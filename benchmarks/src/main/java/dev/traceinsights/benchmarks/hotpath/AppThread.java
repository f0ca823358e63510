package dev.traceinsights.benchmarks.hotpath;

import dev.traceinsights.assembly.AssemblyStats;
import dev.traceinsights.assembly.ReleaseReason;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What the benchmark thread itself used, and what became of its spans, per measurement iteration
 * (warm-up iterations report zero). JMH's {@code gc.alloc.rate.norm} counts every thread of the
 * JVM, the analysis thread included; {@code appBytes / appOps} is the benchmark thread's own bytes
 * per span. The primary score is wall-clock time, which on two cores includes time the thread
 * waited for a core while the batch and analysis threads ran; {@code appCpuNanos / appOps} is the
 * CPU time the benchmark thread itself spent per span. JMH aggregates each counter the same way
 * over iterations, so the quotients hold.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class AppThread {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Bytes the benchmark thread allocated. */
  public long appBytes;

  /** CPU time of the benchmark thread, in nanoseconds. */
  public long appCpuNanos;

  /** Spans the benchmark thread started and ended. */
  public long appOps;

  /** Spans passed on unanalysed because the analysis queue was full. */
  public long queueFull;

  /** Spans the analysis thread analysed. */
  public long analyzed;

  long operations;
  private boolean measuring;
  private long bytesAtStart;
  private long cpuAtStart;
  private long queueFullAtStart;
  private long analyzedAtStart;

  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration, PipelineUnderTest pipeline) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    operations = 0; // JMH zeroes the public counters itself after this
    AssemblyStats stats = pipeline.insightsStats();
    queueFullAtStart = stats == null ? 0 : stats.releasedSpans(ReleaseReason.QUEUE_FULL);
    analyzedAtStart = stats == null ? 0 : stats.analyzedSpans();
    bytesAtStart = THREADS.getCurrentThreadAllocatedBytes();
    cpuAtStart = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void endIteration(PipelineUnderTest pipeline) {
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
    long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytesAtStart;
    if (!measuring) {
      return;
    }
    appBytes = bytes;
    appCpuNanos = cpu;
    appOps = operations;
    AssemblyStats stats = pipeline.insightsStats();
    if (stats != null) {
      queueFull = stats.releasedSpans(ReleaseReason.QUEUE_FULL) - queueFullAtStart;
      analyzed = stats.analyzedSpans() - analyzedAtStart;
    }
  }
}
