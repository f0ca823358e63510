package dev.traceinsights.assembly.internal;

import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.internal.SpanIdIndex;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * What was recently decided, to route spans that arrive afterwards: span ids of analysed local
 * traces (a span whose parent is among them is late) and trace ids of released traces (their later
 * spans follow them unanalysed). Bounded: at most {@code capacity} span ids and as many released
 * trace ids, oldest forgotten first.
 */
final class RecentTraces {

  private final int capacity;
  // Per trace its analysed span ids, in an open-addressing index: a set allocated an entry per
  // span of every trace (and rehashed as it grew), and this is only read for the rare span whose
  // trace was analysed already.
  private final LinkedHashMap<String, SpanIdIndex> analysed = new LinkedHashMap<>();
  private int analysedSpanIds;
  private final LinkedHashMap<String, ReleaseReason> released;

  RecentTraces(int capacity) {
    this.capacity = capacity;
    this.released =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ReleaseReason> eldest) {
            return size() > RecentTraces.this.capacity;
          }
        };
  }

  void rememberAnalysed(String traceId, List<SpanData> spans) {
    if (capacity == 0 || spans.isEmpty()) {
      return;
    }
    SpanIdIndex earlier = analysed.get(traceId);
    int earlierSize = earlier == null ? 0 : earlier.size();
    SpanIdIndex ids = new SpanIdIndex(earlierSize + spans.size());
    if (earlier != null) {
      ids.putAllAbsent(earlier);
    }
    for (int i = 0; i < spans.size(); i++) {
      ids.putIfAbsent(spans.get(i).getSpanId(), i);
    }
    // An existing key keeps its place: the trace ages from when it was first analysed.
    analysed.put(traceId, ids);
    analysedSpanIds += ids.size() - earlierSize;
    trim();
  }

  boolean analysedSpan(String traceId, String spanId) {
    SpanIdIndex ids = analysed.get(traceId);
    return ids != null && ids.get(spanId) >= 0;
  }

  void rememberReleased(String traceId, ReleaseReason reason) {
    if (capacity > 0) {
      released.put(traceId, reason);
    }
  }

  @Nullable
  ReleaseReason releaseReason(String traceId) {
    return released.isEmpty() ? null : released.get(traceId);
  }

  private void trim() {
    Iterator<SpanIdIndex> eldest = analysed.values().iterator();
    while (analysedSpanIds > capacity && eldest.hasNext()) {
      analysedSpanIds -= eldest.next().size();
      eldest.remove();
    }
  }
}
