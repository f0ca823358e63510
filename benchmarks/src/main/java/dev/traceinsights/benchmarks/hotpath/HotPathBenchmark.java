package dev.traceinsights.benchmarks.hotpath;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-span cost on the application thread, in a tight loop: start and end one span through an
 * {@link SdkTracerProvider} whose {@link BatchSpanProcessor} feeds a discarding exporter (the
 * floor, {@link Pipeline#SDK}) against the same with Trace Insights' capture and hand-off in front
 * of it.
 *
 * <p>One benchmark thread; the SDK's batch thread and Trace Insights' analysis thread run beside it
 * on the machine's other core, as in an application. A tight loop makes spans far faster than any
 * application thread, faster than the analysis thread can analyse them: most spans then find the
 * analysis queue full and are passed to the batch processor on the application thread ({@code
 * queueFull} counts them). That overload path does everything the normal path does (capture, one
 * queue offer) plus the batch processor's own enqueue, so its cost bounds the normal path's from
 * above. See {@link AppThread} for the counters: the thread's own CPU time and bytes per span.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class HotPathBenchmark {

  @Benchmark
  public void bare(PipelineUnderTest pipeline, AppThread app) {
    SpanShapes.bare(pipeline.tracer);
    app.operations++;
  }

  @Benchmark
  public void attributes10(PipelineUnderTest pipeline, AppThread app) {
    SpanShapes.attributes10(pipeline.tracer);
    app.operations++;
  }

  @Benchmark
  public void exception(PipelineUnderTest pipeline, AppThread app) {
    SpanShapes.exception(pipeline.tracer, pipeline.exception);
    app.operations++;
  }
}
