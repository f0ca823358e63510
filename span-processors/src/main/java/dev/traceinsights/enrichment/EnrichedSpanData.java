package dev.traceinsights.enrichment;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A span as recorded plus the attributes Trace Insights adds. Ended spans are immutable, and
 * per-trace results exist only once the whole local trace has ended, so they are attached here, at
 * export time, rather than to the live span.
 */
public final class EnrichedSpanData extends DelegatingSpanData {

  private final Attributes attributes;
  private final int totalAttributeCount;
  private final SpanContext spanContext;

  public EnrichedSpanData(SpanData delegate, Attributes added) {
    this(delegate, added, false);
  }

  /**
   * @param sampled export the span as sampled even if head sampling only recorded it: a tail
   *     decision kept its trace, and exporters (BatchSpanProcessor first) skip unsampled spans
   */
  public EnrichedSpanData(SpanData delegate, Attributes added, boolean sampled) {
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
    this.attributes = recorded.toBuilder().putAll(added).build();
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
