package dev.traceinsights.otlpjson;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * The spans of one trace as read from the offline tools' inputs.
 *
 * @param traceId the trace id, 32 hex digits
 * @param spans the spans in input order, exact duplicates removed
 * @param sources the inputs they came from, in the order first seen
 */
public record TraceInput(String traceId, List<SpanData> spans, List<String> sources) {

  public TraceInput {
    requireNonNull(traceId, "traceId");
    spans = List.copyOf(requireNonNull(spans, "spans"));
    sources = List.copyOf(requireNonNull(sources, "sources"));
  }

  /** {@code a.json, b.json: trace 4bf9...}: where a message about this trace points. */
  public String where() {
    return String.join(", ", sources) + ": trace " + traceId;
  }
}
