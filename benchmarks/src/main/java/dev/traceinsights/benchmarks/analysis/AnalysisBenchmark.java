package dev.traceinsights.benchmarks.analysis;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.assembly.internal.AssemblyCounters;
import dev.traceinsights.assembly.internal.LocalTraceBuffer;
import dev.traceinsights.assembly.internal.LocalTraceSink;
import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.enrichment.internal.SpanEnricher;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the analysis thread does per local trace, on one thread: every span through {@link
 * LocalTraceBuffer#add} (assembly), then the completed local trace through {@link
 * TraceAnalyzer#analyze} and {@link SpanEnricher#enrich}, as {@code AnalysisWorker} does, then one
 * pass over each enriched span's attributes, as an exporter makes (enriched attributes are a view,
 * so part of their cost is paid there). The score is spans per second
 * ({@code @OperationsPerInvocation} = spans per trace); {@code level} is the attribute level.
 *
 * <p>The buffer is reused, like the worker's, so its memory of recently analysed traces is part of
 * the cost. Each invocation therefore takes the next of several copies of the trace that differ
 * only in trace id, enough copies that a trace id has been forgotten before it comes round again
 * (else its spans would count as late).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class AnalysisBenchmark {

  @Benchmark
  @OperationsPerInvocation(10)
  public List<SpanData> trace10(Trace10 trace) {
    return trace.assembleAnalyzeEnrich();
  }

  @Benchmark
  @OperationsPerInvocation(100)
  public List<SpanData> trace100(Trace100 trace) {
    return trace.assembleAnalyzeEnrich();
  }

  @Benchmark
  @OperationsPerInvocation(1_000)
  public List<SpanData> trace1000(Trace1000 trace) {
    return trace.assembleAnalyzeEnrich();
  }

  @Benchmark
  @OperationsPerInvocation(10_000)
  public List<SpanData> trace10000(Trace10000 trace) {
    return trace.assembleAnalyzeEnrich();
  }

  /** Copies of one synthetic local trace and the analysis thread's pieces. */
  @State(Scope.Thread)
  public abstract static class LocalTraces implements LocalTraceSink {

    @Param({"standard", "full"})
    public String level;

    private final TraceAnalyzer analyzer = TraceAnalyzer.create();
    private SpanEnricher enricher = SpanEnricher.create();
    private final AssemblyCounters stats = new AssemblyCounters();
    private final LocalTraceBuffer buffer =
        new LocalTraceBuffer(AssemblyLimits.defaults(), this, stats);
    private final List<List<SpanData>> copies = new ArrayList<>();
    private int spanCount;
    private int next;
    private long completedTraces;
    private long completedSpans;
    // Read in the teardown so that the exporter-like pass is not optimised away.
    private long exportedAttributes;
    @Nullable private List<SpanData> enriched;

    void prepare(int spanCount) {
      this.spanCount = spanCount;
      this.enricher =
          SpanEnricher.create(
              AttributeLevel.fromConfigValue(level), SpanEnricher.DEFAULT_MIN_ALLOCATED_BYTES);
      int copyCount = AssemblyLimits.DEFAULT_REMEMBERED_SPANS / spanCount + 3;
      for (int copy = 0; copy < copyCount; copy++) {
        String traceId = String.format(Locale.ROOT, "%032x", 0x7_0000_0000L + copy);
        copies.add(SyntheticTraces.localTrace(spanCount, traceId, 42));
      }
      // Once round every copy: each must come back analysed, whole, with nothing late or dropped.
      for (int copy = 0; copy < copyCount; copy++) {
        assembleAnalyzeEnrich();
      }
      check(copyCount);
    }

    List<SpanData> assembleAnalyzeEnrich() {
      List<SpanData> trace = copies.get(next);
      next = next + 1 == copies.size() ? 0 : next + 1;
      for (SpanData span : trace) {
        buffer.add(span, System.nanoTime());
      }
      buffer.completeEnded();
      return enriched;
    }

    @Override
    public void complete(SpanData localRoot, List<SpanData> spans) {
      TraceAnalysis analysis = analyzer.analyze(spans);
      enriched = enricher.enrich(analysis, spans);
      for (SpanData span : enriched) {
        span.getAttributes().forEach(this::exported);
      }
      completedTraces++;
      completedSpans += spans.size();
    }

    private void exported(Object key, Object value) {
      exportedAttributes++;
    }

    @Override
    public void release(List<SpanData> spans, ReleaseReason reason) {
      throw new IllegalStateException(spans.size() + " spans released: " + reason);
    }

    @Override
    public void late(SpanData span, @Nullable ReleaseReason earlierReason) {
      throw new IllegalStateException("late span " + span.getSpanId() + " " + earlierReason);
    }

    void check(long expectedTraces) {
      if (completedTraces != expectedTraces
          || completedSpans != expectedTraces * spanCount
          || buffer.bufferedSpans() != 0) {
        throw new IllegalStateException(
            completedTraces + " traces, " + completedSpans + " spans analysed: " + stats);
      }
    }

    @TearDown(Level.Trial)
    public void checkNothingLost() {
      if (stats.lateSpans() != 0
          || stats.releasedSpans().values().stream().anyMatch(count -> count != 0)
          || buffer.bufferedSpans() != 0
          || completedSpans != completedTraces * spanCount
          || exportedAttributes < completedSpans) {
        throw new IllegalStateException("the benchmark did not analyse whole traces: " + stats);
      }
    }
  }

  @State(Scope.Thread)
  public static class Trace10 extends LocalTraces {
    @Setup(Level.Trial)
    public void setUp() {
      prepare(10);
    }
  }

  @State(Scope.Thread)
  public static class Trace100 extends LocalTraces {
    @Setup(Level.Trial)
    public void setUp() {
      prepare(100);
    }
  }

  @State(Scope.Thread)
  public static class Trace1000 extends LocalTraces {
    @Setup(Level.Trial)
    public void setUp() {
      prepare(1_000);
    }
  }

  @State(Scope.Thread)
  public static class Trace10000 extends LocalTraces {
    @Setup(Level.Trial)
    public void setUp() {
      prepare(10_000);
    }
  }
}
