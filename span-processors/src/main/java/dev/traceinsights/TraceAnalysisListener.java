package dev.traceinsights;

import dev.traceinsights.analysis.TraceAnalysis;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * Receives every analysed local trace, on the analysis thread, after its spans went to export.
 * Implementations must be quick and must not block: the analysis thread waits for them. An
 * exception thrown here is logged once, counted, and otherwise ignored.
 */
@FunctionalInterface
public interface TraceAnalysisListener {

  /**
   * @param analysis what the analysis found
   * @param spans the local trace's spans, with their {@code traceinsights.*} attributes
   */
  void onTraceAnalyzed(TraceAnalysis analysis, List<SpanData> spans);
}
