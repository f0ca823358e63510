package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Analyses the spans of one trace: self time, critical path, bottlenecks, root-cause error, shape,
 * N+1 queries and totals. Thread-safe; what it keeps between traces is the shapes of recently seen
 * SQL statements, bounded.
 */
public final class TraceAnalyzer {

  private final AnalysisSettings settings;
  private final StatementShapes statementShapes = new StatementShapes();

  private TraceAnalyzer(AnalysisSettings settings) {
    this.settings = settings;
  }

  public static TraceAnalyzer create() {
    return new TraceAnalyzer(AnalysisSettings.defaults());
  }

  public static TraceAnalyzer create(AnalysisSettings settings) {
    return new TraceAnalyzer(requireNonNull(settings, "settings"));
  }

  public AnalysisSettings settings() {
    return settings;
  }

  /**
   * Analyses {@code spans}, which must all belong to one trace and may come in any order; {@link
   * TraceAnalysis#spans()} keeps that order. Spans whose parent is not among them are roots of
   * their own subtrees; the critical path starts at the primary root (see {@link
   * TraceAnalysis#rootSpanId()}). The algorithms are described on {@code TraceGraph} (tree, primary
   * root, clamping), {@code SelfTime}, {@code CriticalPath}, {@code BottleneckFinder}, {@code
   * SpanError} and {@code RootCauseFinder}, {@link ErrorFingerprint}, {@code ErrorGroups}, {@code
   * NPlusOneDetector} and {@code AllocatedBytes}. O(n log n) in the number of spans and never
   * recursive.
   *
   * @throws InvalidTraceException when there are no spans, spans of more than one trace, a span
   *     with an invalid span context, two spans with the same span id, or a cycle in parent links
   */
  public TraceAnalysis analyze(Collection<? extends SpanData> spans) {
    requireNonNull(spans, "spans");
    TraceGraph graph = TraceGraph.of(spans);
    int n = graph.size;

    long[] selfTime = SelfTime.compute(graph);
    CriticalPath criticalPath = CriticalPath.compute(graph);
    long[] criticalPathNanos = criticalPath.nanosBySpan();

    SpanError[] errors = new SpanError[n];
    int errorCount = 0;
    for (int span = 0; span < n; span++) {
      errors[span] = SpanError.of(graph.spans[span]);
      if (errors[span] != null) {
        errorCount++;
      }
    }
    long[] allocatedBytes = AllocatedBytes.perSpan(graph);

    List<SpanAnalysis> spanAnalyses = new ArrayList<>(n);
    long minStart = Long.MAX_VALUE;
    long maxEnd = Long.MIN_VALUE;
    for (int span = 0; span < n; span++) {
      SpanData data = graph.spans[span];
      int parent = graph.parent[span];
      SpanError error = errors[span];
      minStart = Math.min(minStart, graph.start[span]);
      maxEnd = Math.max(maxEnd, graph.end[span]);
      spanAnalyses.add(
          new SpanAnalysis(
              graph.spanIds[span],
              parent < 0 ? null : graph.spanIds[parent],
              data.getName(),
              graph.kinds[span],
              data.getStartEpochNanos(),
              data.getEndEpochNanos(),
              selfTime[span],
              criticalPathNanos[span],
              graph.depth[span],
              graph.childCount(span),
              error != null,
              error == null ? null : error.fingerprint(),
              allocatedBytes[span]));
    }

    return new TraceAnalysis(
        graph.traceId,
        graph.spanIds[graph.primaryRoot],
        spanAnalyses,
        criticalPath.sections(),
        BottleneckFinder.find(graph, criticalPathNanos, selfTime),
        RootCauseFinder.find(graph, errors),
        ErrorGroups.of(graph, errors),
        NPlusOneDetector.detect(graph, settings.nPlusOneThreshold(), statementShapes),
        shape(graph),
        new TraceTotals(
            maxEnd - minStart, n, errorCount, AllocatedBytes.total(graph, allocatedBytes)),
        orphans(graph),
        graph.index);
  }

  /** Roots other than the primary one whose parent context names a span that is not here. */
  private static List<String> orphans(TraceGraph graph) {
    List<String> orphans = List.of();
    for (int i = 0; i < graph.size; i++) {
      if (graph.isRoot(i)
          && i != graph.primaryRoot
          && graph.spans[i].getParentSpanContext().isValid()) {
        if (orphans.isEmpty()) {
          orphans = new ArrayList<>();
        }
        orphans.add(graph.spanIds[i]);
      }
    }
    return orphans;
  }

  /**
   * Depth is the longest root-to-leaf path over all trees of the trace; fan-out counts all direct
   * children, the first span in input order wins a tie.
   */
  private TraceShape shape(TraceGraph graph) {
    int depth = 0;
    int maxFanOut = 0;
    int maxFanOutSpan = -1;
    for (int span = 0; span < graph.size; span++) {
      depth = Math.max(depth, graph.depth[span]);
      int fanOut = graph.childCount(span);
      if (fanOut > maxFanOut) {
        maxFanOut = fanOut;
        maxFanOutSpan = span;
      }
    }
    return new TraceShape(
        depth,
        ThresholdStatus.of(depth, settings.depthWarning(), settings.depthCritical()),
        maxFanOut,
        maxFanOutSpan < 0 ? null : graph.spanIds[maxFanOutSpan],
        ThresholdStatus.of(maxFanOut, settings.fanOutWarning(), settings.fanOutCritical()));
  }

  @Override
  public String toString() {
    return "TraceAnalyzer{settings=" + settings + '}';
  }
}
