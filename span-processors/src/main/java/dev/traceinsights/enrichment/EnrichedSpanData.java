package dev.traceinsights.enrichment;

import io.opentelemetry.api.common.Attributes;
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

  public EnrichedSpanData(SpanData delegate, Attributes added) {
    super(delegate);
    Attributes recorded = delegate.getAttributes();
    this.attributes = recorded.toBuilder().putAll(added).build();
    this.totalAttributeCount =
        delegate.getTotalAttributeCount() + (attributes.size() - recorded.size());
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
