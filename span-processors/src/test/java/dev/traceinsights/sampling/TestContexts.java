package dev.traceinsights.sampling;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/** Parent contexts for calling samplers and span builders directly. */
final class TestContexts {

  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN_ID = "b7ad6b7169203331";

  private TestContexts() {}

  static Context remoteParent(boolean sampled) {
    return Context.root()
        .with(
            Span.wrap(
                SpanContext.createFromRemoteParent(
                    TRACE_ID,
                    SPAN_ID,
                    sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                    TraceState.getDefault())));
  }

  /** A local parent that is not recording, as a dropped span is. */
  static Context localNonRecordingParent(boolean sampled) {
    return Context.root()
        .with(
            Span.wrap(
                SpanContext.create(
                    TRACE_ID,
                    SPAN_ID,
                    sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                    TraceState.getDefault())));
  }
}
