package dev.traceinsights.collector.receiver;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The spans of one OTLP request, decoded.
 *
 * @param rejected spans that could not be taken (an invalid trace or span id), for the partial
 *     success answer
 * @param firstRejection why the first of them was rejected, or null
 */
public record ReceivedSpans(List<SpanData> spans, int rejected, @Nullable String firstRejection) {

  public ReceivedSpans {
    spans = List.copyOf(spans);
  }
}
