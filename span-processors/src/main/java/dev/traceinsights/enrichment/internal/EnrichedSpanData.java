package dev.traceinsights.enrichment.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import javax.annotation.Nullable;

/**
 * A span as recorded plus the attributes Trace Insights adds. Ended spans are immutable, and
 * per-trace results exist only once the whole local trace has ended, so they are attached here, at
 * export time, rather than to the live span.
 */
final class EnrichedSpanData extends DelegatingSpanData {

  private final Attributes attributes;
  private final int totalAttributeCount;
  private final SpanContext spanContext;

  /**
   * @param added alternating keys and values (see {@link EnrichedAttributes})
   * @param hidden a recorded key not to export, or null
   * @param sampled export the span as sampled even if head sampling only recorded it: a tail
   *     decision kept its trace, and exporters (BatchSpanProcessor first) skip unsampled spans
   */
  EnrichedSpanData(
      SpanData delegate, Object[] added, @Nullable AttributeKey<?> hidden, boolean sampled) {
    super(delegate);
    SpanContext recordedContext = delegate.getSpanContext();
    this.spanContext =
        sampled && !recordedContext.isSampled()
            ? SpanContext.create(
                recordedContext.getTraceId(),
                recordedContext.getSpanId(),
                TraceFlags.getSampled(),
                recordedContext.getTraceState())
            : recordedContext;
    Attributes recorded = delegate.getAttributes();
    this.attributes =
        added.length == 0 && hidden == null
            ? recorded
            : new EnrichedAttributes(recorded, added, hidden);
    // What the SDK's limits dropped stays dropped: total - size is unchanged.
    this.totalAttributeCount =
        delegate.getTotalAttributeCount() + (attributes.size() - recorded.size());
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public int getTotalAttributeCount() {
    return totalAttributeCount;
  }
}
