package dev.traceinsights.sampling;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sees every recorded span, sampled or not, like our analysis and statistics processors do. */
final class RecordedSpans implements SpanProcessor {

  private final List<String> names = new CopyOnWriteArrayList<>();

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    names.add(span.getName());
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  List<String> names() {
    return names;
  }
}
