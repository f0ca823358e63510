package dev.traceinsights.alerting;

import static dev.traceinsights.alerting.TestEvents.event;
import static dev.traceinsights.alerting.TestEvents.regression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.internal.DurationText;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertRulesTest {

  @Test
  void rulesFile_everyKeyRead() throws Exception {
    AlertRules rules = AlertRules.parse(resource("rules.json"));

    assertThat(rules.rules()).hasSize(3);
    AlertRule page = rules.rules().get(0);
    assertThat(page.name()).isEqualTo("page on checkout");
    assertThat(page.types()).containsExactlyInAnyOrder(EventType.REGRESSION, EventType.ERROR_SPIKE);
    assertThat(page.minSeverity()).isEqualTo(Severity.HIGH);
    assertThat(page.servicePattern()).isEqualTo("checkout-*");
    assertThat(page.operationPattern()).isEqualTo("POST /orders*");
    assertThat(page.spanKindPattern()).isEqualTo("server");
    assertThat(page.statuses()).containsExactlyInAnyOrder(EventStatus.FIRING, EventStatus.RESOLVED);
    assertThat(page.evidencePatterns())
        .containsExactly(Map.entry("significant", "true"), Map.entry("window", "?m"));
    assertThat(page.sendsToAllSinks()).isFalse();
    assertThat(page.sinks()).containsExactly("pagerduty", "slack");
    assertThat(page.cooldown()).isEqualTo(Duration.ofMinutes(30));
    assertThat(page.groupWindow()).isEqualTo(Duration.ZERO);

    AlertRule noise = rules.rules().get(1);
    assertThat(noise.sendsToAllSinks()).isFalse();
    assertThat(noise.sinks()).isEmpty();
    assertThat(noise.minSeverity()).isEqualTo(Severity.LOW);
    assertThat(noise.cooldown()).isNull();

    AlertRule rest = rules.rules().get(2);
    assertThat(rest.statuses()).containsExactly(EventStatus.FIRING);
    assertThat(rest.sinks()).containsExactly("slack");
    assertThat(rest.groupWindow()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void firstMatchWins() throws Exception {
    AlertRules rules = AlertRules.parse(resource("rules.json"));

    InsightEvent checkout =
        event(EventType.REGRESSION, "checkout-api", "POST /orders", Severity.HIGH);
    InsightEvent checkoutMedium =
        event(EventType.REGRESSION, "checkout-api", "POST /orders", Severity.MEDIUM);
    InsightEvent batch = event(EventType.REGRESSION, "batch-nightly", "run", Severity.CRITICAL);
    InsightEvent other = event(EventType.ANOMALY, "shop", "GET /", Severity.MEDIUM);
    InsightEvent low = event(EventType.ANOMALY, "shop", "GET /", Severity.LOW);

    assertThat(rules.firstMatch(checkout).name()).isEqualTo("page on checkout");
    // Below the first rule's severity: falls through to the catch-all.
    assertThat(rules.firstMatch(checkoutMedium).name()).isEqualTo("the rest");
    // The silencing rule catches batch-* before the catch-all could.
    assertThat(rules.firstMatch(batch).name()).isEqualTo("batch noise");
    assertThat(rules.firstMatch(other).name()).isEqualTo("the rest");
    // "the rest" is firing-only, so a resolution of "other" matches nothing.
    assertThat(rules.firstMatch(TestEvents.resolved(other))).isNull();
    // Below every rule's severity.
    assertThat(rules.firstMatch(low)).isNull();
  }

  @Test
  void ruleConditions_eachNarrows() {
    InsightEvent event =
        event(EventType.REGRESSION, "checkout-api", "POST /orders/{id}", Severity.HIGH);

    assertThat(AlertRule.builder("any").build().matches(event)).isTrue();
    assertThat(rule().setTypes(List.of(EventType.ANOMALY)).build().matches(event)).isFalse();
    assertThat(rule().setMinSeverity(Severity.CRITICAL).build().matches(event)).isFalse();
    assertThat(rule().setMinSeverity(Severity.HIGH).build().matches(event)).isTrue();
    assertThat(rule().setService("checkout-?pi").build().matches(event)).isTrue();
    assertThat(rule().setService("checkout").build().matches(event)).isFalse();
    assertThat(rule().setOperation("POST /orders/*").build().matches(event)).isTrue();
    // Regular-expression characters are literal in a glob.
    assertThat(rule().setOperation("POST /orders/.*").build().matches(event)).isFalse();
    assertThat(rule().setSpanKind("client").build().matches(event)).isFalse();
    assertThat(rule().setStatuses(List.of(EventStatus.RESOLVED)).build().matches(event)).isFalse();
    assertThat(rule().addEvidence("samples", "12??").build().matches(event)).isTrue();
    assertThat(rule().addEvidence("p_value", "4.0E-4").build().matches(event)).isTrue();
    assertThat(rule().addEvidence("significant", "false").build().matches(event)).isFalse();
    assertThat(rule().addEvidence("missing", "*").build().matches(event)).isFalse();
  }

  @Test
  void defaults_mediumAndAboveToEverySink() {
    AlertRules defaults = AlertRules.defaults();

    assertThat(defaults.rules()).hasSize(1);
    assertThat(defaults.rules().get(0).sendsToAllSinks()).isTrue();
    assertThat(defaults.firstMatch(regression("GET /a", Severity.MEDIUM))).isNotNull();
    assertThat(defaults.firstMatch(regression("GET /a", Severity.CRITICAL))).isNotNull();
    assertThat(defaults.firstMatch(regression("GET /a", Severity.LOW))).isNull();
  }

  @Test
  void badFile_messageNamesFileRuleAndWhatIsAccepted() throws Exception {
    Path file = resource("bad-unknown-key.json");

    assertThatThrownBy(() -> AlertRules.parse(file))
        .isInstanceOf(AlertRulesException.class)
        .hasMessage(
            file
                + ": rules[1] \"typo\": unknown key \"min_severty\"; accepted: name, types,"
                + " min_severity, service, operation, span_kind, status, evidence, sinks, cooldown,"
                + " group_window")
        .extracting(e -> ((AlertRulesException) e).source())
        .isEqualTo(file.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"rules": [{"min_severity": "urgent"}]}        | alerts.json: rules[0]: "min_severity" must be one of low, medium, high, critical; got "urgent"
          {"rules": [{"types": ["regresion"]}]}          | alerts.json: rules[0]: "types" must be one of regression, improvement, anomaly, new_error, error_spike, trend; got "regresion"
          {"rules": [{"types": []}]}                     | alerts.json: rules[0]: "types" must not be empty; leave it out to match everything
          {"rules": [{"status": "open"}]}                | alerts.json: rules[0]: "status" must be one of firing, resolved; got "open"
          {"rules": [{}, {"name": "x", "cooldown": "ten minutes"}]} | alerts.json: rules[1] "x": "cooldown" must be a non-negative duration like "500ms", "30s", "10m", "2h", "1d" or "PT10M"; got "ten minutes"
          {"rules": [{"group_window": "-PT1S"}]}         | alerts.json: rules[0]: "group_window" must be a non-negative duration like "500ms", "30s", "10m", "2h", "1d" or "PT10M"; got "-PT1S"
          {"rules": [{"sinks": [1]}]}                    | alerts.json: rules[0]: "sinks" must be a string or an array of strings, got 1
          {"rules": [{"service": ["a"]}]}                | alerts.json: rules[0]: "service" must be a string, got an array
          {"rules": [{"evidence": {"p": null}}]}         | alerts.json: rules[0]: "evidence"."p" must be a string glob, a number or a boolean, got null
          {"rules": [{"evidence": ["p"]}]}               | alerts.json: rules[0]: "evidence" must be an object of key to glob, like {"p_value": "0.00*"}, got an array
          {"rules": ["slack"]}                           | alerts.json: rules[0]: must be an object, got "slack"
          {"rule": []}                                   | alerts.json: expected an object with a "rules" array, like {"rules": [{...}]}
          {"rules": [], "default": {}}                   | alerts.json: unknown key "default" at the top level; accepted: rules
          []                                             | alerts.json: expected an object with a "rules" array, like {"rules": [{...}]}
          {"rules": [{"name": "a", "name": "b"}]}        | alerts.json: not valid JSON at line 1, column 32: Duplicate field 'name'
          """)
  void badContent_oneClearMessage(String json, String message) {
    assertThatThrownBy(() -> AlertRules.parse(json, "alerts.json"))
        .isInstanceOf(AlertRulesException.class)
        .hasMessage(message);
  }

  @Test
  void notJson_lineAndColumn() {
    assertThatThrownBy(() -> AlertRules.parse("{\"rules\": [\n  {\"name\": }\n]}", "alerts.json"))
        .isInstanceOf(AlertRulesException.class)
        .hasMessageStartingWith("alerts.json: not valid JSON at line 2, column 12: ");
  }

  @Test
  void missingFile_namedInMessage(@TempDir Path dir) {
    Path missing = dir.resolve("absent.json");

    assertThatThrownBy(() -> AlertRules.parse(missing))
        .isInstanceOf(AlertRulesException.class)
        .hasMessage(missing + ": cannot read the rules file: NoSuchFileException");
  }

  @Test
  void emptyRules_matchNothing(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("none.json"), "{\"rules\": []}");

    assertThat(AlertRules.parse(file).firstMatch(regression("GET /", Severity.CRITICAL))).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "500ms,PT0.5S",
    "30s,PT30S",
    "10m,PT10M",
    "2h,PT2H",
    "1d,PT24H",
    "0,PT0S",
    "PT1M30S,PT1M30S"
  })
  void durations(String text, String expected) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @Test
  void durations_rejected() {
    assertThat(DurationText.parse("10 m")).isNull();
    assertThat(DurationText.parse("1w")).isNull();
    assertThat(DurationText.parse("99999999999999999999d")).isNull();
  }

  private static AlertRuleBuilder rule() {
    return AlertRule.builder("test");
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(AlertRulesTest.class.getResource("/alerting/" + name).toURI());
  }
}
