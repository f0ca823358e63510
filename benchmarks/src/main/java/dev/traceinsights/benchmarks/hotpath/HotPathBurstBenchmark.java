package dev.traceinsights.benchmarks.hotpath;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-span cost on the application thread when the pipeline keeps up: each measured invocation
 * is a burst of {@value #BURST} spans into an idle pipeline ({@link PipelineUnderTest} flushes
 * between iterations, unmeasured). A burst fits every queue (the batch processor's 2048, the
 * analysis queue's 16 384) and the trace buffer (4096 traces), so no span is dropped and every span
 * takes the normal hand-off: this is the cost an application thread pays in steady state. The
 * analysis itself runs on its own thread and is not in the score; {@code gc.alloc.rate.norm}
 * includes it (the flush analyses the previous burst inside the profiled iteration).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 200)
@Measurement(iterations = 300)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class HotPathBurstBenchmark {

  static final int BURST = 2000;

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void bare(PipelineUnderTest pipeline, AppThread app) {
    for (int i = 0; i < BURST; i++) {
      SpanShapes.bare(pipeline.tracer);
    }
    app.operations += BURST;
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void attributes10(PipelineUnderTest pipeline, AppThread app) {
    for (int i = 0; i < BURST; i++) {
      SpanShapes.attributes10(pipeline.tracer);
    }
    app.operations += BURST;
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void exception(PipelineUnderTest pipeline, AppThread app) {
    for (int i = 0; i < BURST; i++) {
      SpanShapes.exception(pipeline.tracer, pipeline.exception);
    }
    app.operations += BURST;
  }
}
