package dev.traceinsights.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.internal.DurationText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * An ordered list of {@link AlertRule}s. <b>The first matching rule wins</b>: an event goes to that
 * rule's sinks only, and later rules are not consulted (like Alertmanager's routes without {@code
 * continue}). Put narrow rules first and a catch-all last; a rule with {@code "sinks": []} silences
 * what it matches. An event no rule matches is not sent anywhere.
 *
 * <p>A {@code RESOLVED} event is matched like a firing one (it carries the same type, service and
 * severity); its rule's sinks receive it only if they were told the condition was firing.
 *
 * <h2>Rules file</h2>
 *
 * <p>JSON, one object with a {@code rules} array. Every key of a rule is optional; an omitted
 * condition matches everything:
 *
 * <pre>{@code
 * {
 *   "rules": [
 *     {
 *       "name": "page on checkout",
 *       "types": ["regression", "error_spike"],     // EventType labels; or one string
 *       "min_severity": "high",                    // low | medium | high | critical
 *       "service": "checkout-*",                   // globs: * any run, ? one character
 *       "operation": "POST /orders*",
 *       "span_kind": "server",
 *       "status": ["firing", "resolved"],          // or one string
 *       "evidence": { "baseline.p50_ms": "*" },    // key present, value as text matches the glob
 *       "sinks": ["pagerduty", "slack"],           // sink names; omitted: every sink; []: none
 *       "cooldown": "30m",                         // 500ms, 30s, 10m, 2h, 1d or ISO-8601 (PT30M)
 *       "group_window": "0s"
 *     },
 *     { "name": "noise", "service": "batch-*", "sinks": [] },
 *     { "name": "the rest", "min_severity": "medium", "sinks": ["slack"], "group_window": "30s" }
 *   ]
 * }
 * }</pre>
 *
 * (Comments are for this page only; JSON has none.) Unknown keys are errors, so that a typo does
 * not silently widen a rule. Evidence values are matched as {@code String.valueOf} gives them:
 * {@code 12}, {@code 0.002}, {@code true}.
 *
 * <p>Without a rules file, use {@link #defaults()}: every event of severity at least medium goes to
 * every sink.
 */
public final class AlertRules {

  private static final List<String> RULE_KEYS =
      List.of(
          "name",
          "types",
          "min_severity",
          "service",
          "operation",
          "span_kind",
          "status",
          "evidence",
          "sinks",
          "cooldown",
          "group_window");

  /** Strict: a key twice in one object is an error, like any other malformed JSON. */
  private static final JsonFactory JSON_FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /**
   * Objects as maps in file order, arrays as lists, numbers as Integer, Long, BigInteger, Double.
   */
  private static final JSON JSON_READER =
      JSON.builder(JSON_FACTORY)
          .enable(JSON.Feature.PRESERVE_FIELD_ORDERING, JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS)
          .build();

  /** Writes scalars in error messages as JSON, e.g. a too large number as "Infinity". */
  private static final JSON JSON_WRITER = JSON.std;

  private static final AlertRules DEFAULTS =
      new AlertRules(List.of(AlertRule.builder("default").setMinSeverity(Severity.MEDIUM).build()));

  private final List<AlertRule> rules;

  private AlertRules(List<AlertRule> rules) {
    this.rules = rules;
  }

  /** Every event of severity at least medium to every sink. */
  public static AlertRules defaults() {
    return DEFAULTS;
  }

  /** These rules, first match wins. An empty list sends nothing. */
  public static AlertRules of(List<AlertRule> rules) {
    return new AlertRules(List.copyOf(requireNonNull(rules, "rules")));
  }

  /**
   * Reads a rules file.
   *
   * @throws AlertRulesException when it cannot be read or is not a valid rules file; the message
   *     names {@code file}
   */
  public static AlertRules parse(Path file) {
    requireNonNull(file, "file");
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AlertRulesException(
          file.toString(), "cannot read the rules file: " + e.getClass().getSimpleName(), e);
    }
    return parse(json, file.toString());
  }

  /**
   * Parses the content of a rules file.
   *
   * @param source names the content in error messages, e.g. the file name
   * @throws AlertRulesException when it is not a valid rules file
   */
  public static AlertRules parse(String json, String source) {
    requireNonNull(json, "json");
    requireNonNull(source, "source");
    Object root = null;
    try (JsonParser parser = JSON_FACTORY.createParser(json)) {
      if (parser.nextToken() != null) {
        root = JSON_READER.anyFrom(new FieldByFieldParser(parser));
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
          throw notJson(
              source,
              parser.currentTokenLocation(),
              "Trailing token (of type " + trailing + ") found after value: not allowed");
        }
      }
    } catch (JsonProcessingException e) {
      throw notJson(source, e.getLocation(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does no I/O
    }
    if (!(root instanceof Map<?, ?> object) || !(object.get("rules") instanceof List<?> array)) {
      throw new AlertRulesException(
          source, "expected an object with a \"rules\" array, like {\"rules\": [{...}]}");
    }
    for (Object key : object.keySet()) {
      if (!key.equals("rules")) {
        throw new AlertRulesException(
            source, "unknown key \"" + key + "\" at the top level; accepted: rules");
      }
    }
    List<AlertRule> rules = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      rules.add(new RuleReader(source, i, array.get(i)).read());
    }
    return new AlertRules(List.copyOf(rules));
  }

  private static AlertRulesException notJson(
      String source, @Nullable JsonLocation location, String message) {
    String where =
        location == null
            ? ""
            : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return new AlertRulesException(source, "not valid JSON" + where + ": " + message);
  }

  /**
   * Steps through objects with {@link JsonParser#nextFieldName()}, as jackson-databind's tree
   * reader does, where jackson-jr calls {@link JsonParser#nextValue()}. The two report some
   * malformed input differently (a closing brace where a field's value should be is "expected a
   * valid value (JSON String, ...)" on this path, "expected a value" on the other); this keeps the
   * messages the files got before.
   */
  private static final class FieldByFieldParser extends JsonParserDelegate {
    FieldByFieldParser(JsonParser parser) {
      super(parser);
    }

    @Override
    public JsonToken nextValue() throws IOException {
      return delegate.nextFieldName() != null ? delegate.nextToken() : delegate.currentToken();
    }
  }

  /** The first rule {@code event} matches, or null when none does. */
  @Nullable
  public AlertRule firstMatch(InsightEvent event) {
    for (AlertRule rule : rules) {
      if (rule.matches(event)) {
        return rule;
      }
    }
    return null;
  }

  public List<AlertRule> rules() {
    return rules;
  }

  @Override
  public String toString() {
    return "AlertRules" + rules;
  }

  /**
   * Reads one rule, with error messages that say which one. Values are as jackson-jr reads them:
   * Map, List, String, Number, Boolean, or null for JSON's null.
   */
  private static final class RuleReader {

    private final String source;
    @Nullable private final Object node;
    private String label;

    RuleReader(String source, int index, @Nullable Object node) {
      this.source = source;
      this.node = node;
      this.label = "rules[" + index + "]";
    }

    AlertRule read() {
      if (!(node instanceof Map<?, ?> fields)) {
        throw error("must be an object, got " + describe(node));
      }
      // A "name" of null is present, and not a string.
      String name = fields.containsKey("name") ? text(fields.get("name"), "name") : null;
      if (name != null) {
        label = label + " \"" + name + "\"";
      }
      for (Object key : fields.keySet()) {
        if (!RULE_KEYS.contains(key)) {
          throw error("unknown key \"" + key + "\"; accepted: " + String.join(", ", RULE_KEYS));
        }
      }
      AlertRuleBuilder rule = AlertRule.builder(name == null ? label : name);
      for (Map.Entry<?, ?> field : fields.entrySet()) {
        Object value = field.getValue();
        switch ((String) field.getKey()) {
          case "types" -> rule.setTypes(enums(value, "types", EventType.class));
          case "min_severity" ->
              rule.setMinSeverity(oneEnum(value, "min_severity", Severity.class));
          case "service" -> rule.setService(text(value, "service"));
          case "operation" -> rule.setOperation(text(value, "operation"));
          case "span_kind" -> rule.setSpanKind(text(value, "span_kind"));
          case "status" -> rule.setStatuses(enums(value, "status", EventStatus.class));
          case "evidence" -> readEvidence(value, rule);
          case "sinks" -> rule.setSinks(strings(value, "sinks", true));
          case "cooldown" -> rule.setCooldown(duration(value, "cooldown"));
          case "group_window" -> rule.setGroupWindow(duration(value, "group_window"));
          default -> {
            // "name", read above.
          }
        }
      }
      return rule.build();
    }

    private void readEvidence(@Nullable Object value, AlertRuleBuilder rule) {
      if (!(value instanceof Map<?, ?> evidence)) {
        throw error(
            "\"evidence\" must be an object of key to glob, like {\"p_value\": \"0.00*\"}, got "
                + describe(value));
      }
      for (Map.Entry<?, ?> entry : evidence.entrySet()) {
        Object glob = entry.getValue();
        if (glob == null || glob instanceof Map || glob instanceof List) {
          throw error(
              "\"evidence\".\""
                  + entry.getKey()
                  + "\" must be a string glob, a number or a boolean, got "
                  + describe(glob));
        }
        // A string as it is; a number or boolean as its JSON text, e.g. 12, 0.002, true.
        rule.addEvidence((String) entry.getKey(), String.valueOf(glob));
      }
    }

    private String text(@Nullable Object value, String key) {
      if (!(value instanceof String text)) {
        throw error("\"" + key + "\" must be a string, got " + describe(value));
      }
      return text;
    }

    private List<String> strings(@Nullable Object value, String key, boolean emptyAllowed) {
      List<String> strings = new ArrayList<>();
      if (value instanceof String text) {
        strings.add(text);
      } else if (value instanceof List<?> array) {
        for (Object element : array) {
          if (!(element instanceof String text)) {
            throw error(
                "\""
                    + key
                    + "\" must be a string or an array of strings, got "
                    + describe(element));
          }
          strings.add(text);
        }
      } else {
        throw error(
            "\"" + key + "\" must be a string or an array of strings, got " + describe(value));
      }
      if (strings.isEmpty() && !emptyAllowed) {
        throw error("\"" + key + "\" must not be empty; leave it out to match everything");
      }
      return strings;
    }

    private <E extends Enum<E>> List<E> enums(@Nullable Object value, String key, Class<E> type) {
      List<E> result = new ArrayList<>();
      for (String text : strings(value, key, false)) {
        result.add(parseEnum(text, key, type));
      }
      return result;
    }

    private <E extends Enum<E>> E oneEnum(@Nullable Object value, String key, Class<E> type) {
      return parseEnum(text(value, key), key, type);
    }

    private <E extends Enum<E>> E parseEnum(String text, String key, Class<E> type) {
      String normalized = text.trim().toUpperCase(Locale.ROOT);
      // Event types are also known by their OpenTelemetry event name, traceinsights.<label>.
      if (type == EventType.class && normalized.startsWith("TRACEINSIGHTS.")) {
        normalized = normalized.substring("TRACEINSIGHTS.".length());
      }
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(normalized)) {
          return constant;
        }
      }
      String accepted =
          Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", "));
      throw error("\"" + key + "\" must be one of " + accepted + "; got \"" + text + "\"");
    }

    private Duration duration(@Nullable Object value, String key) {
      String text = text(value, key).trim();
      Duration duration = DurationText.parse(text);
      if (duration == null || duration.isNegative()) {
        throw error(
            "\""
                + key
                + "\" must be a non-negative duration like \"500ms\", \"30s\", \"10m\", \"2h\","
                + " \"1d\" or \"PT10M\"; got \""
                + text
                + "\"");
      }
      return duration;
    }

    private AlertRulesException error(String message) {
      return new AlertRulesException(source, label + ": " + message);
    }
  }

  private static String describe(@Nullable Object node) {
    if (node instanceof Map) {
      return "an object";
    }
    if (node instanceof List) {
      return "an array";
    }
    if (node instanceof String text) {
      return "\"" + text + "\"";
    }
    if (node == null) {
      return "null";
    }
    try {
      return JSON_WRITER.asString(node); // a number or a boolean
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
