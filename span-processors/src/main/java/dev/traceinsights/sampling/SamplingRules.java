package dev.traceinsights.sampling;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@link SamplingRule}s from one line of configuration, e.g. a system property:
 *
 * <pre>{@code
 * drop:name=GET /health; sample:attr.url.path=*}{@code /checkout*; record_only:kind=internal,name=cache.*
 * }</pre>
 *
 * <p>Grammar (whitespace around every part is ignored; values keep their inner spaces):
 *
 * <pre>
 * rules     = rule *( ";" rule )            ; empty rules (";;", a trailing ";") are skipped
 * rule      = action ":" condition *( "," condition )
 * action    = "sample" / "drop" / "record_only"                       ; case-insensitive
 * condition = "name=" glob / "kind=" kind / "attr." key "=" glob    ; each at most once per rule
 * kind      = "server" / "client" / "producer" / "consumer" / "internal" ; case-insensitive
 * glob      = text, "*" any run of characters, "?" one character; no ";" or ","
 * </pre>
 */
public final class SamplingRules {

  static final String SYNTAX =
      "expected <action>:<condition>[,<condition>...] with action sample, drop or record_only and"
          + " condition name=<glob>, kind=<server|client|producer|consumer|internal> or"
          + " attr.<key>=<glob>; rules separated by ';'";

  private static final String ATTRIBUTE_PREFIX = "attr.";

  private SamplingRules() {}

  /**
   * The rules in {@code config}, in order; an empty or blank string gives no rules.
   *
   * @throws IllegalArgumentException naming the first rule that cannot be read, what is wrong with
   *     it and what is accepted, in one line
   */
  public static List<SamplingRule> parse(String config) {
    requireNonNull(config, "config");
    List<SamplingRule> rules = new ArrayList<>();
    for (String rule : config.split(";", -1)) {
      String text = rule.trim();
      if (!text.isEmpty()) {
        rules.add(parseRule(text));
      }
    }
    return List.copyOf(rules);
  }

  private static SamplingRule parseRule(String rule) {
    int colon = rule.indexOf(':');
    if (colon < 0) {
      throw invalid(rule, "no ':' after the action");
    }
    String actionName = rule.substring(0, colon).trim();
    SamplingRuleBuilder builder = SamplingRule.builder(action(rule, actionName));
    String conditions = rule.substring(colon + 1);
    if (conditions.isBlank()) {
      throw invalid(rule, "no condition");
    }
    Set<String> given = new HashSet<>();
    for (String part : conditions.split(",", -1)) {
      String condition = part.trim();
      if (condition.isEmpty()) {
        throw invalid(rule, "empty condition");
      }
      int equals = condition.indexOf('=');
      if (equals < 0) {
        throw invalid(rule, "condition '" + condition + "' has no '='");
      }
      String field = condition.substring(0, equals).trim();
      String value = condition.substring(equals + 1).trim();
      if (value.isEmpty()) {
        throw invalid(rule, "condition '" + condition + "' has no value");
      }
      if (field.equalsIgnoreCase("name")) {
        requireFirst(rule, given, "name");
        builder.matchSpanName(value);
      } else if (field.equalsIgnoreCase("kind")) {
        requireFirst(rule, given, "kind");
        builder.matchSpanKind(kind(rule, value));
      } else if (field.regionMatches(true, 0, ATTRIBUTE_PREFIX, 0, ATTRIBUTE_PREFIX.length())) {
        String key = field.substring(ATTRIBUTE_PREFIX.length()).trim();
        if (key.isEmpty()) {
          throw invalid(rule, "condition '" + condition + "' has no attribute key after 'attr.'");
        }
        requireFirst(rule, given, ATTRIBUTE_PREFIX + key);
        builder.matchAttribute(key, value);
      } else {
        throw invalid(rule, "unknown condition '" + field + "'");
      }
    }
    return builder.build();
  }

  private static SamplingAction action(String rule, String name) {
    for (SamplingAction action : SamplingAction.values()) {
      if (action.configName().equalsIgnoreCase(name)) {
        return action;
      }
    }
    throw invalid(rule, "unknown action '" + name + "'");
  }

  private static SpanKind kind(String rule, String name) {
    for (SpanKind kind : SpanKind.values()) {
      if (kind.name().equalsIgnoreCase(name)) {
        return kind;
      }
    }
    throw invalid(rule, "unknown span kind '" + name + "'");
  }

  private static void requireFirst(String rule, Set<String> given, String field) {
    if (!given.add(field)) {
      throw invalid(rule, "'" + field + "' given twice");
    }
  }

  private static IllegalArgumentException invalid(String rule, String problem) {
    return new IllegalArgumentException(
        "invalid sampling rule '" + rule + "': " + problem + "; " + SYNTAX);
  }
}
