package dev.traceinsights.events.internal;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.events.InsightEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * The life of each detector's conditions, one per key: a condition that holds in {@code
 * confirmWindows} consecutive tested windows fires; a firing condition resolves once it has not
 * held in {@code resolveWindows} consecutive tested windows. A window in which a key was not tested
 * (too few calls, an idle operation) neither counts for nor against it.
 *
 * <p>Firing and resolving by the same kind of streak is what keeps a persistent condition firing:
 * the detectors also stop learning from a key's windows while {@link #isHeld held}, so their
 * reference does not drift towards the condition it is judging.
 *
 * <p>Not thread-safe: one detector thread. Memory: one small entry per key that held at least once
 * and has not resolved or cleared since.
 *
 * @param <K> what a condition is about: an operation, an operation's series, a fingerprint
 */
public final class FiringConditions<K> {

  private static final class State {
    @Nullable InsightEvent firing;
    int held;
    int cleared;
    // Consecutive windows it held while firing, the one it fired in included.
    int firingWindows;
  }

  private final int confirmWindows;
  private final int resolveWindows;
  private final boolean repeatWhileFiring;
  private final Map<K, State> states = new LinkedHashMap<>();
  private long unconfirmed;

  /**
   * @param confirmWindows consecutive windows the condition must hold to fire
   * @param resolveWindows consecutive tested windows it must not hold to resolve
   * @param repeatWhileFiring whether each further window that holds returns its event again (for
   *     the alert router's reminders and escalations), rather than only the first
   */
  public FiringConditions(int confirmWindows, int resolveWindows, boolean repeatWhileFiring) {
    if (confirmWindows < 1) {
      throw new IllegalArgumentException("confirmWindows must be positive");
    }
    if (resolveWindows < 1) {
      throw new IllegalArgumentException("resolveWindows must be positive");
    }
    this.confirmWindows = confirmWindows;
    this.resolveWindows = resolveWindows;
    this.repeatWhileFiring = repeatWhileFiring;
  }

  /**
   * The condition of {@code key} holds in this window.
   *
   * @param candidate the event that fires if it is confirmed now
   * @param confirmedAtOnce the evidence is strong enough to fire without waiting for further
   *     windows
   * @return the event to hand on, or null while it waits for confirmation (or, without repeats,
   *     while it keeps firing)
   */
  @Nullable
  public InsightEvent holds(K key, InsightEvent candidate, boolean confirmedAtOnce) {
    requireNonNull(candidate, "candidate");
    State state = states.computeIfAbsent(requireNonNull(key, "key"), unused -> new State());
    state.cleared = 0;
    state.held++;
    if (state.firing != null) {
      state.firingWindows++;
      if (!repeatWhileFiring) {
        return null;
      }
      state.firing = candidate;
      return candidate;
    }
    if (state.held < confirmWindows && !confirmedAtOnce) {
      unconfirmed++;
      return null;
    }
    state.firing = candidate;
    state.firingWindows = 1;
    return candidate;
  }

  /** {@link #holds(Object, InsightEvent, boolean)} without a shortcut. */
  @Nullable
  public InsightEvent holds(K key, InsightEvent candidate) {
    return holds(key, candidate, false);
  }

  /**
   * The condition of {@code key} was tested in this window and does not hold.
   *
   * @param resolvedTitle the resolved event's title, from the firing event
   * @return the resolved event when the condition resolves now, else null
   */
  @Nullable
  public InsightEvent clears(K key, long epochNanos, Function<InsightEvent, String> resolvedTitle) {
    State state = states.get(key);
    if (state == null) {
      return null;
    }
    state.held = 0;
    state.firingWindows = 0;
    if (state.firing == null) {
      states.remove(key);
      return null;
    }
    if (++state.cleared < resolveWindows) {
      return null;
    }
    states.remove(key);
    return state.firing.resolved(epochNanos, resolvedTitle.apply(state.firing));
  }

  /**
   * Ends the condition of {@code key} at once (its subject is no longer tracked, or it turned into
   * another condition).
   *
   * @return the resolved event if it was firing, else null
   */
  @Nullable
  public InsightEvent resolveNow(
      K key, long epochNanos, Function<InsightEvent, String> resolvedTitle) {
    State state = states.remove(key);
    return state == null || state.firing == null
        ? null
        : state.firing.resolved(epochNanos, resolvedTitle.apply(state.firing));
  }

  /** Ends every condition whose key matches; the resolved events in the order the keys came. */
  public List<InsightEvent> resolveAll(
      Predicate<K> which, long epochNanos, Function<InsightEvent, String> resolvedTitle) {
    List<InsightEvent> resolved = new ArrayList<>();
    for (Iterator<Map.Entry<K, State>> it = states.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, State> entry = it.next();
      if (which.test(entry.getKey())) {
        it.remove();
        if (entry.getValue().firing != null) {
          InsightEvent firing = entry.getValue().firing;
          resolved.add(firing.resolved(epochNanos, resolvedTitle.apply(firing)));
        }
      }
    }
    return resolved;
  }

  /**
   * How many consecutive windows the condition of {@code key} has held while firing, the window it
   * fired in included; 0 when it does not fire. A detector that accepts a lasting condition as the
   * new normal reads it.
   */
  public int firingWindows(K key) {
    State state = states.get(key);
    return state == null || state.firing == null ? 0 : state.firingWindows;
  }

  /** Whether the condition of {@code key} fires (confirmed, not resolved). */
  public boolean isFiring(K key) {
    State state = states.get(key);
    return state != null && state.firing != null;
  }

  /**
   * Whether the condition of {@code key} held in its last tested window or fires: its windows must
   * not become the detector's reference.
   */
  public boolean isHeld(K key) {
    State state = states.get(key);
    return state != null && (state.firing != null || state.held > 0);
  }

  /** The keys {@linkplain #isHeld held} now, in the order they first held; a copy. */
  public Set<K> heldKeys() {
    Set<K> held = new LinkedHashSet<>();
    for (Map.Entry<K, State> entry : states.entrySet()) {
      State state = entry.getValue();
      if (state.firing != null || state.held > 0) {
        held.add(entry.getKey());
      }
    }
    return held;
  }

  /** Conditions firing now. */
  public int firingCount() {
    int firing = 0;
    for (State state : states.values()) {
      if (state.firing != null) {
        firing++;
      }
    }
    return firing;
  }

  /** Windows in which a condition held without (yet) being confirmed. */
  public long unconfirmed() {
    return unconfirmed;
  }

  @Override
  public String toString() {
    return "FiringConditions{confirmWindows="
        + confirmWindows
        + ", resolveWindows="
        + resolveWindows
        + ", tracked="
        + states.size()
        + ", firing="
        + firingCount()
        + ", unconfirmed="
        + unconfirmed
        + '}';
  }
}
