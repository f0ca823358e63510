package dev.traceinsights.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.api.trace.SpanKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SamplingRulesTest {

  @Test
  void readsTheDocumentedExample() {
    List<SamplingRule> rules =
        SamplingRules.parse(
            "drop:name=GET /health; sample:attr.url.path=*/checkout*;"
                + " record_only:kind=internal,name=cache.*");

    assertThat(rules)
        .containsExactly(
            SamplingRule.drop().matchSpanName("GET /health").build(),
            SamplingRule.sample().matchAttribute("url.path", "*/checkout*").build(),
            SamplingRule.recordOnly()
                .matchSpanKind(SpanKind.INTERNAL)
                .matchSpanName("cache.*")
                .build());
  }

  @Test
  void ruleToStringIsTheSyntaxItWasReadFrom() {
    String config =
        "drop:name=GET /health;sample:attr.url.path=*/checkout*;"
            + "record_only:name=cache.*,kind=internal,attr.db.system=redis,attr.peer=?x";

    List<SamplingRule> rules = SamplingRules.parse(config);

    assertThat(String.join(";", rules.stream().map(SamplingRule::toString).toList()))
        .isEqualTo(config);
    assertThat(SamplingRules.parse(rules.get(2).toString())).containsExactly(rules.get(2));
  }

  @Test
  void actionsKindsAndFieldNamesAreCaseInsensitiveValuesAndKeysAreNot() {
    SamplingRule rule =
        SamplingRules.parse("RECORD_ONLY: KIND=Server , Name=GET /A, attr.X.Y = V ").get(0);

    assertThat(rule.action()).isEqualTo(SamplingAction.RECORD_ONLY);
    assertThat(rule.spanKind()).isEqualTo(SpanKind.SERVER);
    assertThat(rule.spanNamePattern()).isEqualTo("GET /A");
    assertThat(rule.attributePatterns()).containsExactly(entry("X.Y", "V"));
  }

  @Test
  void valueMayContainEqualsAndInnerSpaces() {
    SamplingRule rule = SamplingRules.parse("drop:attr.db.statement=SELECT 1 WHERE a=b").get(0);

    assertThat(rule.attributePatterns()).containsEntry("db.statement", "SELECT 1 WHERE a=b");
  }

  @Test
  void emptyConfigAndEmptyRulesGiveNothing() {
    assertThat(SamplingRules.parse("")).isEmpty();
    assertThat(SamplingRules.parse("  ;  ; ")).isEmpty();
    assertThat(SamplingRules.parse("drop:name=a;;sample:name=b;")).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "keep:name=a               | invalid sampling rule 'keep:name=a': unknown action 'keep'",
        "drop name=a               | invalid sampling rule 'drop name=a': no ':' after the action",
        "drop:                     | invalid sampling rule 'drop:': no condition",
        "drop:name=a,              | invalid sampling rule 'drop:name=a,': empty condition",
        "drop:name                 | invalid sampling rule 'drop:name': condition 'name' has no '='",
        "drop:name=                | invalid sampling rule 'drop:name=': condition 'name=' has no value",
        "drop:kind=server,kind=client | invalid sampling rule 'drop:kind=server,kind=client': 'kind' given twice",
        "drop:name=a,name=b        | invalid sampling rule 'drop:name=a,name=b': 'name' given twice",
        "drop:attr.k=a,attr.k=b    | invalid sampling rule 'drop:attr.k=a,attr.k=b': 'attr.k' given twice",
        "drop:kind=frontend        | invalid sampling rule 'drop:kind=frontend': unknown span kind 'frontend'",
        "drop:attr.=x              | invalid sampling rule 'drop:attr.=x': condition 'attr.=x' has no attribute key after 'attr.'",
        "drop:route=/x             | invalid sampling rule 'drop:route=/x': unknown condition 'route'",
      })
  void badRuleIsNamedWithTheProblemAndTheAcceptedSyntax(String config, String problem) {
    assertThatThrownBy(() -> SamplingRules.parse("sample:name=ok; " + config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(problem + "; " + SamplingRules.SYNTAX);
  }

  @Test
  void acceptedSyntaxIsSpelledOutForTheLogLine() {
    assertThatThrownBy(() -> SamplingRules.parse("nope"))
        .hasMessage(
            "invalid sampling rule 'nope': no ':' after the action; expected"
                + " <action>:<condition>[,<condition>...] with action sample, drop or record_only"
                + " and condition name=<glob>, kind=<server|client|producer|consumer|internal> or"
                + " attr.<key>=<glob>; rules separated by ';'")
        .hasMessageNotContaining("\n");
  }

  @Test
  void builderRejectsARuleWithoutConditionsAndEmptyPatterns() {
    assertThatThrownBy(() -> SamplingRule.drop().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one condition");
    assertThatThrownBy(() -> SamplingRule.drop().matchSpanName(""))
        .hasMessage("glob must not be empty");
    assertThatThrownBy(() -> SamplingRule.drop().matchAttribute("", "x"))
        .hasMessage("key must not be empty");
    assertThatThrownBy(() -> SamplingRule.drop().matchSpanKind(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kind");
    assertThatThrownBy(() -> SamplingRules.parse(null)).hasMessage("config");
  }
}
