package dev.traceinsights.benchmarks.hotpath;

import dev.traceinsights.TraceInsightsSpanProcessor;
import dev.traceinsights.assembly.AssemblyStats;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The tracer provider a hot-path benchmark runs against, one per {@link Pipeline}. Every iteration
 * starts from an idle pipeline: the previous iteration's spans are flushed (analysed and exported)
 * first, outside the measured time.
 */
@State(Scope.Benchmark)
public class PipelineUnderTest {

  @Param public Pipeline pipeline;

  private SdkTracerProvider tracerProvider;
  @Nullable private TraceInsightsSpanProcessor insights;
  Tracer tracer;
  Throwable exception;

  @Setup(Level.Trial)
  public void start() {
    Pipeline.Built built = pipeline.build();
    tracerProvider = built.tracerProvider();
    insights = built.insights();
    tracer = tracerProvider.get("dev.traceinsights.benchmarks");
    exception = SpanShapes.failure(8);
  }

  @Setup(Level.Iteration)
  public void flush() {
    if (!tracerProvider.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()) {
      throw new IllegalStateException("the pipeline did not flush: " + tracerProvider);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    tracerProvider.shutdown().join(60, TimeUnit.SECONDS);
  }

  /** Trace Insights' counters, or null for the SDK-only pipeline. */
  @Nullable
  AssemblyStats insightsStats() {
    return insights == null ? null : insights.stats();
  }
}
