package dev.traceinsights.collector.receiver;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** Where receivers hand what they decoded: takes all of a request's spans, or none of them. */
@FunctionalInterface
public interface SpanIntake {

  /** Never blocks for long and never throws; a refusal tells the sender when to try again. */
  Admission offer(List<SpanData> spans);
}
