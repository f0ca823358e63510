package dev.traceinsights.collector.assembly;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** A buffered trace, handed on for analysis and its decision. */
public record ReadyTrace(String traceId, List<SpanData> spans, Completion completion) {

  public ReadyTrace {
    spans = List.copyOf(spans);
  }
}
