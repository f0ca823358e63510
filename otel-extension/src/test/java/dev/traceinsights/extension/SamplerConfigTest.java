package dev.traceinsights.extension;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.sampling.AdaptiveSampler;
import dev.traceinsights.sampling.RecordingSampler;
import dev.traceinsights.sampling.RuleBasedSampler;
import dev.traceinsights.sampling.SamplingRules;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerConfigTest {

  private final List<String> warnings = new ArrayList<>();

  @Test
  void rulesComeFromTheirKey() {
    RuleBasedSampler sampler =
        (RuleBasedSampler)
            SamplerConfig.rules(
                properties(
                    Map.of(
                        "traceinsights.sampler.rules",
                        "drop:name=GET /health; sample:attr.url.path=*/checkout*",
                        "traceinsights.sampler.rules.fallback-ratio",
                        "0.25")),
                warnings::add);

    assertThat(sampler.rules())
        .isEqualTo(SamplingRules.parse("drop:name=GET /health;sample:attr.url.path=*/checkout*"));
    assertThat(sampler.getDescription()).contains("0.25");
    assertThat(warnings).isEmpty();
  }

  @Test
  void badRulesAreReportedOnceAndIgnored() {
    RuleBasedSampler sampler =
        (RuleBasedSampler)
            SamplerConfig.rules(
                properties(Map.of("traceinsights.sampler.rules", "keep:name=GET /")),
                warnings::add);

    assertThat(sampler.rules()).isEmpty();
    assertThat(warnings)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line)
                  .startsWith(
                      "Trace Insights: traceinsights.sampler.rules: invalid sampling rule 'keep:name=GET /'");
              assertThat(line).endsWith("; using no rules");
            });
  }

  @Test
  void adaptiveReadsItsTargetAndRejectsNonsense() {
    Sampler sampler =
        SamplerConfig.adaptive(
            properties(
                Map.of(
                    "traceinsights.sampler.adaptive.target-per-second", "-3",
                    "traceinsights.sampler.adaptive.max-operations", "50")),
            warnings::add);

    assertThat(sampler).isInstanceOf(AdaptiveSampler.class);
    assertThat(warnings)
        .containsExactly(
            "Trace Insights: invalid value '-3' for"
                + " traceinsights.sampler.adaptive.target-per-second: expected a number greater"
                + " than 0.0; using the default 1.0");
  }

  @Test
  void recordAllWrapsAParentBasedRatio() {
    Sampler sampler =
        SamplerConfig.recordAll(
            properties(Map.of("otel.traces.sampler.arg", "0.01")), warnings::add);

    assertThat(sampler).isInstanceOf(RecordingSampler.class);
    assertThat(((RecordingSampler) sampler).getDelegate())
        .isEqualTo(Sampler.parentBased(Sampler.traceIdRatioBased(0.01)));
    assertThat(SamplerConfig.maybeRecordAll(sampler, true)).isSameAs(sampler);
    assertThat(SamplerConfig.maybeRecordAll(Sampler.alwaysOn(), true))
        .isInstanceOf(RecordingSampler.class);
    assertThat(SamplerConfig.maybeRecordAll(Sampler.alwaysOn(), false))
        .isEqualTo(Sampler.alwaysOn());
    assertThat(warnings).isEmpty();
  }

  private static DefaultConfigProperties properties(Map<String, String> map) {
    return DefaultConfigProperties.createFromMap(map);
  }
}
