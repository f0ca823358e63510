package dev.traceinsights.baseline;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.stats.OperationKey;
import dev.traceinsights.stats.OperationWindow;
import io.opentelemetry.sdk.common.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The baseline learned at run time when none is given: each operation's windows of the last K
 * rounds (default 5). The detection thread, once per completed window, compares the new windows
 * with {@link #baseline()} and then {@link #add adds} them, so a window is never part of its own
 * baseline.
 *
 * <p>An operation is in the baseline only once it has {@link RollingBaselineBuilder#setMinCalls
 * minCalls} calls in those rounds; one without windows in the last K rounds is forgotten. Memory is
 * bounded by {@code maxOperations * K} windows (each with its own bounded sample); windows of
 * operations beyond the maximum are counted in {@link #droppedWindows()} and dropped. Overflow
 * windows (many operations mixed) are never kept.
 *
 * <p>Detection {@linkplain #add(List, Set) holds} an operation while it judges it regressed: the
 * operation's windows are not learned and its history does not age, so a lasting regression stays a
 * regression instead of becoming the baseline. A change that is meant to last is accepted by
 * restarting (or by a new baseline file).
 *
 * <p>Not thread-safe: one thread adds and builds.
 */
public final class RollingBaseline {

  private final int windows;
  private final int minCalls;
  private final int maxOperations;
  private final int sampleCapacity;
  private final RandomGenerator random;
  private final Clock clock;

  private final Map<OperationKey, Deque<RoundWindow>> history = new LinkedHashMap<>();
  private long round;
  private long droppedWindows;

  RollingBaseline(RollingBaselineBuilder builder) {
    this.windows = builder.windows;
    this.minCalls = builder.minCalls;
    this.maxOperations = builder.maxOperations;
    this.sampleCapacity = builder.sampleCapacity;
    this.random = builder.random;
    this.clock = builder.clock;
  }

  public static RollingBaselineBuilder builder() {
    return new RollingBaselineBuilder();
  }

  public static RollingBaseline create() {
    return builder().build();
  }

  /** Adds one round: the windows that just completed, at most one per operation expected. */
  public void add(List<OperationWindow> completed) {
    add(completed, Set.of());
  }

  /**
   * Adds one round, except for the {@code held} operations: their windows are left out and their
   * history is frozen (it neither takes in this round nor ages by it). Detection holds an operation
   * while it judges it regressed, so that the baseline keeps what the operation returns to.
   */
  public void add(List<OperationWindow> completed, Set<OperationKey> held) {
    requireNonNull(completed, "completed");
    requireNonNull(held, "held");
    round++;
    for (Map.Entry<OperationKey, Deque<RoundWindow>> entry : history.entrySet()) {
      if (held.contains(entry.getKey())) {
        // One round later for everything it holds: the ageing below leaves it as it was.
        Deque<RoundWindow> deque = entry.getValue();
        for (int i = deque.size(); i > 0; i--) {
          RoundWindow kept = deque.removeFirst();
          deque.addLast(new RoundWindow(kept.round + 1, kept.window));
        }
      }
    }
    for (OperationWindow window : completed) {
      requireNonNull(window, "window");
      if (window.overflow() || window.calls() == 0 || held.contains(window.operation())) {
        continue;
      }
      Deque<RoundWindow> deque = history.get(window.operation());
      if (deque == null) {
        if (history.size() >= maxOperations) {
          droppedWindows++;
          continue;
        }
        deque = new ArrayDeque<>();
        history.put(window.operation(), deque);
      }
      deque.addLast(new RoundWindow(round, window));
    }
    long oldestKept = round - windows + 1;
    for (Iterator<Deque<RoundWindow>> it = history.values().iterator(); it.hasNext(); ) {
      Deque<RoundWindow> deque = it.next();
      while (!deque.isEmpty() && deque.peekFirst().round < oldestKept) {
        deque.removeFirst();
      }
      if (deque.isEmpty()) {
        it.remove();
      }
    }
  }

  /** The baseline of the last K rounds: operations with at least {@code minCalls} calls. */
  public Baseline baseline() {
    BaselineRecorder recorder =
        BaselineRecorder.builder()
            .setMaxOperations(Integer.MAX_VALUE) // bounded by this class already
            .setSampleCapacity(sampleCapacity)
            .setRandom(random)
            .setClock(clock)
            .setSource("rolling: last " + windows + " windows")
            .build();
    for (Deque<RoundWindow> deque : history.values()) {
      long calls = 0;
      for (RoundWindow entry : deque) {
        calls += entry.window.calls();
      }
      if (calls < minCalls) {
        continue;
      }
      for (RoundWindow entry : deque) {
        recorder.recordWindow(entry.window);
      }
    }
    return recorder.build();
  }

  /** Operations with windows in the last K rounds, whether or not they have enough calls. */
  public int operationCount() {
    return history.size();
  }

  /** Windows of operations beyond the maximum, not kept. */
  public long droppedWindows() {
    return droppedWindows;
  }

  @Override
  public String toString() {
    return "RollingBaseline{windows="
        + windows
        + ", minCalls="
        + minCalls
        + ", operations="
        + history.size()
        + ", round="
        + round
        + ", droppedWindows="
        + droppedWindows
        + '}';
  }

  private record RoundWindow(long round, OperationWindow window) {}
}
