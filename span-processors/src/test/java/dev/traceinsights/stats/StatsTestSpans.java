package dev.traceinsights.stats;

import static dev.traceinsights.testing.TestSpans.spanId;
import static dev.traceinsights.testing.TestSpans.traceId;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spans and analysed traces for statistics tests, built with {@link TestSpans}: spans of one
 * service, {@link #SERVICE}, each with its own span id.
 */
final class StatsTestSpans {

  static final String SERVICE = "checkout";
  static final Resource RESOURCE = TestSpans.resource(SERVICE);
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000_000_000L;

  private static final AtomicLong ids = new AtomicLong(1);

  private StatsTestSpans() {}

  static OperationKey key(String spanName, SpanKind kind) {
    return new OperationKey(SERVICE, spanName, kind);
  }

  /** A lone SERVER span of {@link #SERVICE} lasting {@code durationNanos}. */
  static SpanData server(String name, long durationNanos) {
    return span(name).kind(SpanKind.SERVER).duration(durationNanos).build();
  }

  /**
   * A span of {@link #SERVICE} in trace {@code traceId(1)}, with a span id of its own (so its name
   * may be of any length), starting and ending at 1 s.
   */
  static TestSpans.Builder span(String name) {
    return TestSpans.span(name)
        .resource(RESOURCE)
        .traceId(traceId(1))
        .spanId(spanId(ids.getAndIncrement()))
        .at(SECOND, SECOND);
  }

  /**
   * A local trace of {@code spanCount} spans named {@code s0, s1, ...}: {@code s0} is the root
   * (0..1000 ns), the others its children one after the other inside it.
   */
  static List<SpanData> trace(String traceId, int spanCount) {
    List<SpanData> spans = new ArrayList<>(spanCount);
    String rootId = spanId(ids.getAndIncrement());
    spans.add(span("s0").traceId(traceId).spanId(rootId).at(0, 1000).build());
    for (int i = 1; i < spanCount; i++) {
      spans.add(
          span("s" + i)
              .traceId(traceId)
              .parentId(rootId)
              .at(i * 1000L / spanCount, (i + 1) * 1000L / spanCount)
              .build());
    }
    return spans;
  }

  static TraceAnalysis analyze(List<SpanData> spans) {
    return TraceAnalyzer.create().analyze(spans);
  }
}
