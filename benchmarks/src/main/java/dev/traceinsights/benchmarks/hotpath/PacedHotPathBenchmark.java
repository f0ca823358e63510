package dev.traceinsights.benchmarks.hotpath;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The per-span cost on the application thread on the <em>normal</em> path: spans at a steady
 * {@value #SPANS_PER_SECOND} per second, a rate the analysis thread keeps up with, so that every
 * span is analysed (the {@code queueFull} counter of {@link AppThread} shows it). {@link
 * HotPathBenchmark}'s tight loop measures the overload path instead.
 *
 * <p>Between spans the benchmark thread waits by spinning (a sleep would cost a system call and a
 * wake-up, far more than a span); the score therefore says nothing. What counts is {@code spanNanos
 * / appOps}: the wall time of the span's start and end alone, read with {@code System.nanoTime}
 * around it (the same two readings in every pipeline), and {@link AppThread}'s bytes per span. The
 * spinning allocates nothing, so the bytes are the span's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class PacedHotPathBenchmark {

  static final long SPANS_PER_SECOND = 10_000;
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1) / SPANS_PER_SECOND;

  @Benchmark
  public void bare(PipelineUnderTest pipeline, AppThread app, Pace pace) {
    long start = pace.awaitNext();
    SpanShapes.bare(pipeline.tracer);
    pace.spanNanos += System.nanoTime() - start;
    app.operations++;
  }

  @Benchmark
  public void attributes10(PipelineUnderTest pipeline, AppThread app, Pace pace) {
    long start = pace.awaitNext();
    SpanShapes.attributes10(pipeline.tracer);
    pace.spanNanos += System.nanoTime() - start;
    app.operations++;
  }

  @Benchmark
  public void exception(PipelineUnderTest pipeline, AppThread app, Pace pace) {
    long start = pace.awaitNext();
    SpanShapes.exception(pipeline.tracer, pipeline.exception);
    pace.spanNanos += System.nanoTime() - start;
    app.operations++;
  }

  /** The schedule, and the time spent in spans (measurement iterations only). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Pace {

    /** Wall time inside span start and end, in nanoseconds. */
    public long spanNanos;

    private long next;
    private boolean measuring;

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
      measuring = iteration.getType() == IterationType.MEASUREMENT;
      next = System.nanoTime();
    }

    /** Spins until the next span is due, then returns the time, to be subtracted after it. */
    long awaitNext() {
      long now;
      while ((now = System.nanoTime()) < next) {
        Thread.onSpinWait();
      }
      // Never catch up in a burst after a stall: the rate is what matters, not the count.
      next = Math.max(next + INTERVAL_NANOS, now);
      if (!measuring) {
        spanNanos = 0;
      }
      return now;
    }
  }
}
