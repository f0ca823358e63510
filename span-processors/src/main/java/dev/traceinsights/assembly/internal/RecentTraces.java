package dev.traceinsights.assembly.internal;

import dev.traceinsights.assembly.ReleaseReason;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * What was recently decided, to route spans that arrive afterwards: span ids of analysed local
 * traces (a span whose parent is among them is late) and trace ids of released traces (their later
 * spans follow them unanalysed). Bounded: at most {@code capacity} span ids and as many released
 * trace ids, oldest forgotten first.
 */
final class RecentTraces {

  private final int capacity;
  private final LinkedHashMap<String, Set<String>> analysed = new LinkedHashMap<>();
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

  void rememberAnalysed(String traceId, Iterable<SpanData> spans) {
    if (capacity == 0) {
      return;
    }
    Set<String> ids = analysed.computeIfAbsent(traceId, id -> new HashSet<>());
    int before = ids.size();
    for (SpanData span : spans) {
      ids.add(span.getSpanId());
    }
    analysedSpanIds += ids.size() - before;
    trim();
  }

  void rememberAnalysedSpan(String traceId, String spanId) {
    Set<String> ids = analysed.get(traceId);
    if (ids != null && ids.add(spanId)) {
      analysedSpanIds++;
      trim();
    }
  }

  boolean analysedSpan(String traceId, String spanId) {
    Set<String> ids = analysed.get(traceId);
    return ids != null && ids.contains(spanId);
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
    Iterator<Set<String>> eldest = analysed.values().iterator();
    while (analysedSpanIds > capacity && eldest.hasNext()) {
      analysedSpanIds -= eldest.next().size();
      eldest.remove();
    }
  }
}
