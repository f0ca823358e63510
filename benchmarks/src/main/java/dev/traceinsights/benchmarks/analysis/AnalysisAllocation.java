package dev.traceinsights.benchmarks.analysis;

import com.sun.management.ThreadMXBean;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.assembly.internal.AssemblyCounters;
import dev.traceinsights.assembly.internal.LocalTraceBuffer;
import dev.traceinsights.assembly.internal.LocalTraceSink;
import dev.traceinsights.enrichment.internal.SpanEnricher;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.stats.StatisticsHistory;
import dev.traceinsights.tail.TailDecision;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Bytes the analysis thread allocates per span, stage by stage, as the extension runs them at its
 * defaults under the agent (assembly, analysis, tail decision, enrichment, the exporter's pass over
 * the attributes, live statistics without recent analyses). Allocation is read from the thread's
 * own counter ({@code ThreadMXBean#getCurrentThreadAllocatedBytes}) around each stage, so the
 * figures are exact and do not depend on the machine's speed; they are averaged over many traces
 * after a warm-up long enough for the JIT's escape analysis to apply.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar \
 *     dev.traceinsights.benchmarks.analysis.AnalysisAllocation [spans per trace ...]
 * </pre>
 */
public final class AnalysisAllocation implements LocalTraceSink {

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final String[] STAGES = {
    "assembly", "analysis", "tail decision", "enrichment", "exporter pass", "statistics"
  };

  private final TraceAnalyzer analyzer = TraceAnalyzer.create();
  private final SpanEnricher enricher = SpanEnricher.create();
  private final LiveStatistics statistics =
      LiveStatistics.builder().setRecentTraceLimits(Duration.ofHours(2), 0, 0).build();
  private final StatisticsHistory history = new StatisticsHistory(statistics);
  private final TailSampler tailSampler = TailSampler.builder().build();
  private final LocalTraceBuffer buffer =
      new LocalTraceBuffer(AssemblyLimits.defaults(), this, new AssemblyCounters());
  private final long[] bytes = new long[STAGES.length];
  private long exported;
  private long spans;
  // Allocated by complete() within the current trace: the buffer's share is the rest.
  private long sinkBytes;
  // The next copy to feed; the round continues across runs.
  private int next;

  public static void main(String[] args) {
    List<Integer> sizes = new ArrayList<>();
    for (String arg : args) {
      sizes.add(Integer.parseInt(arg));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(10, 100, 1_000);
    }
    System.out.println("| stage | " + String.join(" | ", header(sizes)) + " |");
    System.out.println("|---|" + "---:|".repeat(sizes.size()));
    Map<String, List<Double>> rows = new LinkedHashMap<>();
    for (int size : sizes) {
      double[] perSpan = new AnalysisAllocation().measure(size);
      for (int stage = 0; stage <= STAGES.length; stage++) {
        String name = stage == STAGES.length ? "all" : STAGES[stage];
        rows.computeIfAbsent(name, unused -> new ArrayList<>()).add(perSpan[stage]);
      }
    }
    rows.forEach(
        (stage, values) -> {
          StringBuilder line = new StringBuilder("| " + stage + " |");
          values.forEach(value -> line.append(String.format(Locale.ROOT, " %.0f |", value)));
          System.out.println(line);
        });
  }

  private static List<String> header(List<Integer> sizes) {
    List<String> header = new ArrayList<>();
    sizes.forEach(size -> header.add("B/span, " + size + "-span traces"));
    return header;
  }

  /** Bytes per span for each stage, then their sum, over traces of {@code size} spans. */
  private double[] measure(int size) {
    // More copies than the buffer remembers span ids for, so that no copy comes back as late.
    int copies = AssemblyLimits.DEFAULT_REMEMBERED_SPANS / size + 3;
    List<List<SpanData>> traces = new ArrayList<>();
    for (int copy = 0; copy < copies; copy++) {
      String traceId = String.format(Locale.ROOT, "%032x", 0x9_0000_0000L + copy);
      traces.add(SyntheticTraces.localTrace(size, traceId, 42));
    }
    int warmupSpans = 2_000_000;
    int measuredSpans = 2_000_000;
    run(traces, warmupSpans / size);
    Arrays.fill(bytes, 0);
    spans = 0;
    run(traces, measuredSpans / size);
    double[] perSpan = new double[STAGES.length + 1];
    for (int stage = 0; stage < STAGES.length; stage++) {
      perSpan[stage] = (double) bytes[stage] / spans;
      perSpan[STAGES.length] += perSpan[stage];
    }
    if (exported == 0) {
      throw new IllegalStateException("nothing was exported");
    }
    return perSpan;
  }

  private void run(List<List<SpanData>> traces, int count) {
    for (int i = 0; i < count; i++) {
      // Round the copies without restarting: a copy analysed a moment ago would come back late.
      List<SpanData> trace = traces.get(next);
      next = next + 1 == traces.size() ? 0 : next + 1;
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (SpanData span : trace) {
        buffer.add(span, System.nanoTime());
      }
      buffer.completeEnded();
      // complete() charged its own stages; what remains is the buffer's.
      bytes[0] += THREADS.getCurrentThreadAllocatedBytes() - before - sinkBytes;
      sinkBytes = 0;
    }
  }

  @Override
  public void complete(SpanData localRoot, List<SpanData> trace) {
    long start = THREADS.getCurrentThreadAllocatedBytes();
    TraceAnalysis analysis = analyzer.analyze(trace);
    long analysed = THREADS.getCurrentThreadAllocatedBytes();
    TailDecision decision = tailSampler.decide(analysis, localRoot, history, System.nanoTime());
    long decided = THREADS.getCurrentThreadAllocatedBytes();
    String reason = decision.keepReason() == null ? null : decision.keepReason().attributeValue();
    List<SpanData> enriched = enricher.enrich(analysis, trace, reason);
    long enrichedAt = THREADS.getCurrentThreadAllocatedBytes();
    for (SpanData span : enriched) {
      span.getAttributes().forEach((key, value) -> exported++);
    }
    long exportedAt = THREADS.getCurrentThreadAllocatedBytes();
    statistics.recordTrace(analysis, trace);
    long end = THREADS.getCurrentThreadAllocatedBytes();
    bytes[1] += analysed - start;
    bytes[2] += decided - analysed;
    bytes[3] += enrichedAt - decided;
    bytes[4] += exportedAt - enrichedAt;
    bytes[5] += end - exportedAt;
    sinkBytes += end - start;
    spans += trace.size();
  }

  @Override
  public void release(List<SpanData> released, ReleaseReason reason) {
    throw new IllegalStateException(released.size() + " spans released: " + reason);
  }

  @Override
  public void late(SpanData span, @Nullable ReleaseReason earlierReason) {
    throw new IllegalStateException("late span " + span.getSpanId());
  }
}
