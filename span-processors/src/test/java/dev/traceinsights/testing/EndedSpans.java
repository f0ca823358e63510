package dev.traceinsights.testing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SpanProcessor} that keeps every span that ends, sampled or not, in the order they end.
 *
 * <p>Unlike an exporter, which only gets sampled spans, it sees every recorded span, like our
 * analysis and statistics processors do: for tests of samplers that record without sampling, and of
 * code fed by recorded spans. Also the processor to add when a test only needs the SDK to hand out
 * real (recording) spans. Thread-safe.
 */
public final class EndedSpans implements SpanProcessor {

  private final List<SpanData> spans = new CopyOnWriteArrayList<>();

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    spans.add(span.toSpanData());
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** The spans ended so far, oldest first. */
  public List<SpanData> spans() {
    return List.copyOf(spans);
  }

  /** The names of the spans ended so far, oldest first. */
  public List<String> names() {
    return spans.stream().map(SpanData::getName).toList();
  }
}
