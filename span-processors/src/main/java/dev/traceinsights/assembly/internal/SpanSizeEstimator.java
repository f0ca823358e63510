package dev.traceinsights.assembly.internal;

import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A cheap, deliberately generous estimate of the heap a buffered span holds: its data object and
 * context, plus a per-entry cost for attributes, events and links. Exact sizes would need a walk of
 * every value; the bound only has to keep the buffer's memory in the configured range.
 */
public final class SpanSizeEstimator {

  static final int BASE_BYTES = 320;
  static final int PER_ATTRIBUTE_BYTES = 64;
  static final int PER_EVENT_BYTES = 160;
  static final int PER_LINK_BYTES = 128;

  private SpanSizeEstimator() {}

  public static long estimate(SpanData span) {
    return BASE_BYTES
        + 2L * span.getName().length()
        + (long) PER_ATTRIBUTE_BYTES * span.getAttributes().size()
        + (long) PER_EVENT_BYTES * span.getEvents().size()
        + (long) PER_LINK_BYTES * span.getLinks().size();
  }
}
