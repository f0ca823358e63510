package dev.traceinsights.analysis;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;

/**
 * Analyses the spans of one trace: self time, critical path, bottlenecks, root-cause error, shape,
 * N+1 queries and totals. Stateless and thread-safe.
 */
public final class TraceAnalyzer {

  private final AnalysisSettings settings;

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
   * Analyses {@code spans}, which must all belong to one trace.
   *
   * @throws InvalidTraceException when the spans do not form an analysable trace
   */
  public TraceAnalysis analyze(Collection<? extends SpanData> spans) {
    requireNonNull(spans, "spans");
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public String toString() {
    return "TraceAnalyzer{settings=" + settings + '}';
  }
}
