package dev.traceinsights.anomaly;

import dev.traceinsights.events.internal.FiringConditions;
import java.util.EnumMap;
import java.util.Map;

/** One operation's recent values of each {@link Series} and the anomalies held on them. */
final class OperationSeries {

  /**
   * An anomaly of one series in one direction (1 up, -1 down): a flip resolves the one and may fire
   * the other.
   */
  record Condition(Series series, int direction) {}

  private final Map<Series, RecentValues> histories = new EnumMap<>(Series.class);

  /** Confirmed by a second window in the same direction, resolved by the first one back. */
  final FiringConditions<Condition> conditions =
      new FiringConditions<>(2, 1, /* repeatWhileFiring= */ false);

  /** Consecutive observed windows in which the operation had no window of its own. */
  int absentWindows;

  OperationSeries(int historyWindows) {
    for (Series series : Series.values()) {
      histories.put(series, new RecentValues(historyWindows));
    }
  }

  RecentValues history(Series series) {
    return histories.get(series);
  }

  boolean isFiring(Series series) {
    return conditions.isFiring(new Condition(series, 1))
        || conditions.isFiring(new Condition(series, -1));
  }

  @Override
  public String toString() {
    return "OperationSeries{absentWindows=" + absentWindows + ", " + conditions + '}';
  }
}
