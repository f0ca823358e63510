package dev.traceinsights.alerting;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.internal.Glob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Which events go to which sinks. An event matches when every condition holds: its type is one of
 * {@link #types()} (empty: any type), its severity is at least {@link #minSeverity()}, its service,
 * operation and span kind match their globs, its status is one of {@link #statuses()}, and each
 * {@link #evidence()} key is present with a value (as text) matching its glob. Immutable.
 *
 * @see AlertRules for the rules file and how rules are evaluated
 */
public final class AlertRule {

  private final String name;
  private final Set<EventType> types;
  private final Severity minSeverity;
  private final Glob service;
  private final Glob operation;
  private final Glob spanKind;
  private final Set<EventStatus> statuses;
  private final Map<String, Glob> evidence;
  // Null: every sink.
  @Nullable private final List<String> sinks;
  @Nullable private final Duration cooldown;
  @Nullable private final Duration groupWindow;

  AlertRule(
      String name,
      Set<EventType> types,
      Severity minSeverity,
      Glob service,
      Glob operation,
      Glob spanKind,
      Set<EventStatus> statuses,
      Map<String, Glob> evidence,
      @Nullable List<String> sinks,
      @Nullable Duration cooldown,
      @Nullable Duration groupWindow) {
    this.name = name;
    this.types = types;
    this.minSeverity = minSeverity;
    this.service = service;
    this.operation = operation;
    this.spanKind = spanKind;
    this.statuses = statuses;
    this.evidence = evidence;
    this.sinks = sinks;
    this.cooldown = cooldown;
    this.groupWindow = groupWindow;
  }

  /** A builder for a rule that, unless narrowed, matches every event and sends it to every sink. */
  public static AlertRuleBuilder builder(String name) {
    return new AlertRuleBuilder(name);
  }

  public boolean matches(InsightEvent event) {
    if (!types.isEmpty() && !types.contains(event.type())) {
      return false;
    }
    if (!event.severity().atLeast(minSeverity) || !statuses.contains(event.status())) {
      return false;
    }
    if (!service.matches(event.service())
        || !operation.matches(event.operation())
        || !spanKind.matches(event.spanKind())) {
      return false;
    }
    for (Map.Entry<String, Glob> condition : evidence.entrySet()) {
      Object value = event.evidence().get(condition.getKey());
      if (value == null || !condition.getValue().matches(String.valueOf(value))) {
        return false;
      }
    }
    return true;
  }

  public String name() {
    return name;
  }

  /** The event types this rule matches; empty: every type. */
  public Set<EventType> types() {
    return types;
  }

  public Severity minSeverity() {
    return minSeverity;
  }

  public String servicePattern() {
    return service.pattern();
  }

  public String operationPattern() {
    return operation.pattern();
  }

  public String spanKindPattern() {
    return spanKind.pattern();
  }

  /** Never empty. */
  public Set<EventStatus> statuses() {
    return statuses;
  }

  /** Evidence key to the glob its value (as text) must match. */
  public Map<String, String> evidencePatterns() {
    Map<String, String> patterns = new LinkedHashMap<>();
    evidence.forEach((key, glob) -> patterns.put(key, glob.pattern()));
    return patterns;
  }

  /** Whether matching events go to every sink, rather than to {@link #sinks()}. */
  public boolean sendsToAllSinks() {
    return sinks == null;
  }

  /**
   * The names of the sinks matching events go to, when not {@link #sendsToAllSinks()}; empty for a
   * rule that silences what it matches.
   */
  public List<String> sinks() {
    return sinks == null ? List.of() : sinks;
  }

  /** This rule's cooldown, or null to use the router's. */
  @Nullable
  public Duration cooldown() {
    return cooldown;
  }

  /** This rule's grouping window, or null to use the router's. */
  @Nullable
  public Duration groupWindow() {
    return groupWindow;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("AlertRule{name=").append(name);
    if (!types.isEmpty()) {
      s.append(", types=").append(types);
    }
    s.append(", minSeverity=").append(minSeverity);
    appendPattern(s, "service", service);
    appendPattern(s, "operation", operation);
    appendPattern(s, "spanKind", spanKind);
    if (statuses.size() != EventStatus.values().length) {
      s.append(", statuses=").append(statuses);
    }
    if (!evidence.isEmpty()) {
      s.append(", evidence=").append(evidence);
    }
    s.append(", sinks=").append(sinks == null ? "all" : sinks);
    if (cooldown != null) {
      s.append(", cooldown=").append(cooldown);
    }
    if (groupWindow != null) {
      s.append(", groupWindow=").append(groupWindow);
    }
    return s.append('}').toString();
  }

  private static void appendPattern(StringBuilder s, String label, Glob glob) {
    if (!glob.matchesEverything()) {
      s.append(", ").append(label).append('=').append(glob);
    }
  }
}
