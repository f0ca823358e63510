package dev.traceinsights.events.internal;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.internal.ThrottledLogger;
import dev.traceinsights.stats.OperationKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import javax.annotation.Nullable;

/**
 * A detector's state per operation, bounded: at most {@code maxOperations} operations, first come
 * first served, in the order they came. Windows of further operations are refused, counted and
 * logged rate-limited, until a tracked operation is removed. Not thread-safe: one detector thread.
 *
 * @param <V> what the detector keeps per operation
 */
public final class BoundedOperations<V> implements Iterable<Map.Entry<OperationKey, V>> {

  private final int maxOperations;
  private final String detector;
  private final ThrottledLogger overflowLog;
  private final Map<OperationKey, V> operations = new LinkedHashMap<>();
  private long refusedWindows;

  /**
   * @param detector names the detector in the log line, e.g. {@code "Anomaly detection"}
   */
  public BoundedOperations(int maxOperations, String detector, ThrottledLogger overflowLog) {
    this.maxOperations = maxOperations;
    this.detector = requireNonNull(detector, "detector");
    this.overflowLog = requireNonNull(overflowLog, "overflowLog");
  }

  /**
   * The state of {@code operation}, created by {@code create} if there is room; null (counted and
   * logged) when {@code maxOperations} others are tracked.
   */
  @Nullable
  public V getOrCreate(OperationKey operation, Function<OperationKey, V> create) {
    V state = operations.get(operation);
    if (state != null) {
      return state;
    }
    if (operations.size() >= maxOperations) {
      refusedWindows++;
      overflowLog.log(
          Level.WARNING,
          detector
              + " tracks the maximum of "
              + maxOperations
              + " operations: windows of further ones are ignored ("
              + refusedWindows
              + " so far)",
          null);
      return null;
    }
    state = create.apply(operation);
    operations.put(operation, state);
    return state;
  }

  /** In the order the operations came; {@link Iterator#remove()} frees a place. */
  @Override
  public Iterator<Map.Entry<OperationKey, V>> iterator() {
    return operations.entrySet().iterator();
  }

  public int size() {
    return operations.size();
  }

  /** Windows refused because {@code maxOperations} other operations were tracked. */
  public long refusedWindows() {
    return refusedWindows;
  }

  @Override
  public String toString() {
    return "BoundedOperations{size="
        + operations.size()
        + ", maxOperations="
        + maxOperations
        + ", refusedWindows="
        + refusedWindows
        + '}';
  }
}
