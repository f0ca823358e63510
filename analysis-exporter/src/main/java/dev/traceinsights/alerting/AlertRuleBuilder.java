package dev.traceinsights.alerting;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.Severity;
import dev.traceinsights.internal.Glob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/** Builds an {@link AlertRule}; unset conditions match everything. */
public final class AlertRuleBuilder {

  private final String name;
  private final Set<EventType> types = EnumSet.noneOf(EventType.class);
  private Severity minSeverity = Severity.LOW;
  private Glob service = Glob.ANY;
  private Glob operation = Glob.ANY;
  private Glob spanKind = Glob.ANY;
  private final Set<EventStatus> statuses = EnumSet.allOf(EventStatus.class);
  private final Map<String, Glob> evidence = new LinkedHashMap<>();
  // Null: every sink.
  @Nullable private List<String> sinks;
  @Nullable private Duration cooldown;
  @Nullable private Duration groupWindow;

  AlertRuleBuilder(String name) {
    this.name = requireNonNull(name, "name");
  }

  /** Restricts the rule to these event types; not calling it (or an empty set) means every type. */
  public AlertRuleBuilder setTypes(Collection<EventType> types) {
    requireNonNull(types, "types");
    this.types.clear();
    this.types.addAll(types);
    return this;
  }

  public AlertRuleBuilder setMinSeverity(Severity minSeverity) {
    this.minSeverity = requireNonNull(minSeverity, "minSeverity");
    return this;
  }

  /** A glob over {@code service.name}, e.g. {@code checkout-*}. */
  public AlertRuleBuilder setService(String glob) {
    this.service = Glob.compile(requireNonNull(glob, "service"));
    return this;
  }

  /** A glob over the span name, e.g. {@code GET /orders*}. */
  public AlertRuleBuilder setOperation(String glob) {
    this.operation = Glob.compile(requireNonNull(glob, "operation"));
    return this;
  }

  /** A glob over the span kind in lower case, e.g. {@code server}. */
  public AlertRuleBuilder setSpanKind(String glob) {
    this.spanKind = Glob.compile(requireNonNull(glob, "spanKind"));
    return this;
  }

  /**
   * The statuses matched; default both. A rule for {@code FIRING} only keeps resolutions away from
   * its sinks, e.g. to leave PagerDuty incidents for a person to resolve.
   */
  public AlertRuleBuilder setStatuses(Collection<EventStatus> statuses) {
    requireNonNull(statuses, "statuses");
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("statuses must not be empty");
    }
    this.statuses.clear();
    this.statuses.addAll(statuses);
    return this;
  }

  /**
   * Requires evidence {@code key} with a value whose text ({@code String.valueOf}: {@code 12},
   * {@code 0.002}, {@code true}) matches {@code glob}.
   */
  public AlertRuleBuilder addEvidence(String key, String glob) {
    requireNonNull(key, "key");
    evidence.put(key, Glob.compile(requireNonNull(glob, "glob")));
    return this;
  }

  /**
   * The sinks matching events go to, by {@link AlertSink#name()}. Not calling it means every sink;
   * an empty collection means none, which makes a rule that silences what it matches.
   */
  public AlertRuleBuilder setSinks(Collection<String> sinkNames) {
    requireNonNull(sinkNames, "sinkNames");
    List<String> names = new ArrayList<>();
    for (String sinkName : sinkNames) {
      requireNonNull(sinkName, "sinkNames must not contain null");
      if (!names.contains(sinkName)) {
        names.add(sinkName);
      }
    }
    this.sinks = names;
    return this;
  }

  /** Overrides the router's cooldown for events of this rule. */
  public AlertRuleBuilder setCooldown(Duration cooldown) {
    requireNonNull(cooldown, "cooldown");
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must be non-negative");
    }
    this.cooldown = cooldown;
    return this;
  }

  /** Overrides the router's grouping window for events of this rule; zero: no grouping. */
  public AlertRuleBuilder setGroupWindow(Duration groupWindow) {
    requireNonNull(groupWindow, "groupWindow");
    if (groupWindow.isNegative()) {
      throw new IllegalArgumentException("groupWindow must be non-negative");
    }
    this.groupWindow = groupWindow;
    return this;
  }

  public AlertRule build() {
    // Every type listed means the same as none listed; one spelling keeps toString() short.
    Set<EventType> typeSet =
        types.isEmpty() || types.size() == EventType.values().length
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(types));
    return new AlertRule(
        name,
        typeSet,
        minSeverity,
        service,
        operation,
        spanKind,
        Collections.unmodifiableSet(EnumSet.copyOf(statuses)),
        Collections.unmodifiableMap(new LinkedHashMap<>(evidence)),
        sinks == null ? null : List.copyOf(sinks),
        cooldown,
        groupWindow);
  }
}
