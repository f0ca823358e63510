package dev.traceinsights.stats;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * What {@link LiveStatistics} knows at one moment. Immutable. Each row is consistent in itself;
 * rows are read one after the other while recording goes on, so totals across rows may differ by
 * the spans recorded meanwhile.
 *
 * @param epochNanos when the snapshot was taken (statistics clock)
 * @param operations every tracked operation and overflow series, most calls first
 * @param topBottlenecks per operation and category, largest total critical-path time first
 * @param errorPatterns retained error patterns, in most traces first
 * @param analyzedTraces analysed local traces recorded
 * @param recordedSpans spans recorded, analysed or not: the sum of {@link
 *     OperationStatistics#calls()} over all rows, overflow series included
 * @param unanalyzedSpans of those, spans recorded without analysis
 * @param overflowSpans of those, spans counted in an overflow series
 * @param errorPatternsDropped error patterns evicted (least recently seen first) to keep within the
 *     maximum count
 * @param recentTraces trace analyses retained for {@link LiveStatistics#recentTraces}
 * @param recentTraceBytes their estimated size
 * @param recentTracesEvicted retained analyses evicted so far, by reason; every reason present
 */
public record StatisticsSnapshot(
    long epochNanos,
    List<OperationStatistics> operations,
    List<BottleneckStatistics> topBottlenecks,
    List<ErrorPattern> errorPatterns,
    long analyzedTraces,
    long recordedSpans,
    long unanalyzedSpans,
    long overflowSpans,
    long errorPatternsDropped,
    int recentTraces,
    long recentTraceBytes,
    Map<EvictionReason, Long> recentTracesEvicted) {

  public StatisticsSnapshot {
    operations = List.copyOf(operations);
    topBottlenecks = List.copyOf(topBottlenecks);
    errorPatterns = List.copyOf(errorPatterns);
    requireNonNull(recentTracesEvicted, "recentTracesEvicted");
    Map<EvictionReason, Long> evicted = new EnumMap<>(EvictionReason.class);
    for (EvictionReason reason : EvictionReason.values()) {
      evicted.put(reason, recentTracesEvicted.getOrDefault(reason, 0L));
    }
    recentTracesEvicted = Map.copyOf(evicted);
  }

  /** The row of {@code operation} (an overflow series too), null when it is not tracked. */
  @Nullable
  public OperationStatistics operation(OperationKey operation) {
    for (OperationStatistics row : operations) {
      if (row.operation().equals(operation)) {
        return row;
      }
    }
    return null;
  }

  public long recentTracesEvicted(EvictionReason reason) {
    return recentTracesEvicted.get(reason);
  }
}
