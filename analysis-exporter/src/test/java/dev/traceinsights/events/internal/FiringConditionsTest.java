package dev.traceinsights.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiringConditionsTest {

  @Test
  void firesAfterConfirmWindowsAndResolvesAfterResolveWindows() {
    FiringConditions<String> conditions = new FiringConditions<>(2, 2, false);
    assertThat(conditions.holds("a", event(1))).isNull(); // 1 of 2
    assertThat(conditions.isHeld("a")).isTrue();
    assertThat(conditions.isFiring("a")).isFalse();
    assertThat(conditions.holds("a", event(2))).isEqualTo(event(2));
    assertThat(conditions.holds("a", event(3))).isNull(); // no repeats
    assertThat(conditions.clears("a", 4, e -> "over")).isNull(); // 1 of 2
    assertThat(conditions.isFiring("a")).isTrue();
    InsightEvent resolved = conditions.clears("a", 5, e -> "over: " + e.title());
    assertThat(resolved.status()).isEqualTo(EventStatus.RESOLVED);
    assertThat(resolved.epochNanos()).isEqualTo(5);
    assertThat(resolved.title()).isEqualTo("over: at 2");
    assertThat(conditions.isHeld("a")).isFalse();
    assertThat(conditions.unconfirmed()).isEqualTo(1);
  }

  @Test
  void aHoldBreaksTheResolveStreakAndAClearBreaksTheConfirmStreak() {
    FiringConditions<String> conditions = new FiringConditions<>(2, 2, true);
    conditions.holds("a", event(1));
    conditions.clears("a", 2, e -> "over");
    assertThat(conditions.holds("a", event(3))).isNull(); // the streak started again
    assertThat(conditions.holds("a", event(4))).isEqualTo(event(4));
    assertThat(conditions.holds("a", event(5))).isEqualTo(event(5)); // repeats while firing
    conditions.clears("a", 6, e -> "over");
    conditions.holds("a", event(7));
    assertThat(conditions.clears("a", 8, e -> "over")).isNull();
    assertThat(conditions.clears("a", 9, e -> "over: " + e.title()).title())
        .isEqualTo("over: at 7");
  }

  @Test
  void strongEvidenceFiresAtOnce_resolveNowAndResolveAllEndConditions() {
    FiringConditions<String> conditions = new FiringConditions<>(2, 1, false);
    assertThat(conditions.holds("a", event(1), true)).isEqualTo(event(1));
    conditions.holds("b", event(2), true);
    conditions.holds("c", event(3)); // pending only: nothing to resolve
    assertThat(conditions.firingCount()).isEqualTo(2);
    assertThat(conditions.resolveNow("a", 4, e -> "gone").title()).isEqualTo("gone");
    assertThat(conditions.resolveNow("a", 5, e -> "gone")).isNull();
    List<InsightEvent> rest = conditions.resolveAll(key -> true, 6, e -> "all");
    assertThat(rest).extracting(InsightEvent::title).containsExactly("all");
    assertThat(conditions.isHeld("c")).isFalse();
  }

  @Test
  void firingWindowsCountTheWindowsHeldWhileFiring() {
    FiringConditions<String> conditions = new FiringConditions<>(2, 1, false);
    conditions.holds("a", event(1)); // pending: not firing yet
    assertThat(conditions.firingWindows("a")).isZero();
    conditions.holds("a", event(2)); // fires
    conditions.holds("a", event(3));
    conditions.holds("a", event(4));
    assertThat(conditions.firingWindows("a")).isEqualTo(3);
    conditions.clears("a", 5, e -> "over");
    assertThat(conditions.firingWindows("a")).isZero();
  }

  @Test
  void windowCountsMustBePositive() {
    assertThatThrownBy(() -> new FiringConditions<String>(0, 1, false))
        .hasMessage("confirmWindows must be positive");
    assertThatThrownBy(() -> new FiringConditions<String>(1, 0, false))
        .hasMessage("resolveWindows must be positive");
  }

  private static InsightEvent event(long epochNanos) {
    return new InsightEvent(
        EventType.REGRESSION,
        EventStatus.FIRING,
        Severity.HIGH,
        "shop",
        "GET /orders",
        "server",
        epochNanos,
        "at " + epochNanos,
        "look",
        Map.of(),
        List.of(),
        "regression|shop|GET /orders|server");
  }
}
