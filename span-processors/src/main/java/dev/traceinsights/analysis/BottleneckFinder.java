package dev.traceinsights.analysis;

import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.traceinsights.semconv.InsightAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;

/**
 * The bottlenecks of a trace: the span(s) with the largest own time on the critical path, all of
 * them on a tie (in input order), none when the path is empty. Each gets a {@link
 * BottleneckCategory} from its attributes and kind:
 *
 * <ol>
 *   <li>{@code db.system} or {@code db.system.name} present: DATABASE;
 *   <li>{@code messaging.system} present, or kind PRODUCER or CONSUMER: MESSAGING;
 *   <li>kind CLIENT: REMOTE_CALL;
 *   <li>kind SERVER or INTERNAL: INTERNAL, except when the span's CPU time was measured and is less
 *       than half its self time: UNKNOWN, since the time went neither to the CPU nor to an
 *       instrumented call (waiting on a lock, I/O without a span, GC, ...).
 * </ol>
 */
final class BottleneckFinder {

  private static final AttributeKey<String> DB_SYSTEM = stringKey("db.system");
  private static final AttributeKey<String> DB_SYSTEM_NAME = stringKey("db.system.name");
  private static final AttributeKey<String> MESSAGING_SYSTEM = stringKey("messaging.system");

  private BottleneckFinder() {}

  static List<Bottleneck> find(TraceGraph graph, long[] criticalPathNanos, long[] selfTime) {
    long max = 0;
    int count = 0;
    for (int span = 0; span < graph.size; span++) {
      if (criticalPathNanos[span] > max) {
        max = criticalPathNanos[span];
        count = 1;
      } else if (criticalPathNanos[span] == max && max > 0) {
        count++;
      }
    }
    if (max == 0) {
      return List.of();
    }
    List<Bottleneck> bottlenecks = new ArrayList<>(count);
    for (int span = 0; span < graph.size; span++) {
      if (criticalPathNanos[span] == max) {
        SpanData data = graph.spans[span];
        bottlenecks.add(
            new Bottleneck(
                graph.spanIds[span],
                data.getName(),
                category(data, selfTime[span]),
                max,
                selfTime[span]));
      }
    }
    return bottlenecks;
  }

  static BottleneckCategory category(SpanData span, long selfTimeNanos) {
    Attributes attributes = span.getAttributes();
    if (attributes.get(DB_SYSTEM) != null || attributes.get(DB_SYSTEM_NAME) != null) {
      return BottleneckCategory.DATABASE;
    }
    SpanKind kind = span.getKind();
    if (attributes.get(MESSAGING_SYSTEM) != null
        || kind == SpanKind.PRODUCER
        || kind == SpanKind.CONSUMER) {
      return BottleneckCategory.MESSAGING;
    }
    if (kind == SpanKind.CLIENT) {
      return BottleneckCategory.REMOTE_CALL;
    }
    // SERVER or INTERNAL
    Long cpuTime = attributes.get(InsightAttributes.SPAN_CPU_TIME_NS);
    // cpu < self / 2, without the rounding of an integer division
    if (cpuTime != null && 2 * cpuTime < selfTimeNanos) {
      return BottleneckCategory.UNKNOWN;
    }
    return BottleneckCategory.INTERNAL;
  }
}
