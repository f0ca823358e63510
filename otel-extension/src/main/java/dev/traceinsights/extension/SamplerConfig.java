package dev.traceinsights.extension;

import dev.traceinsights.sampling.AdaptiveSampler;
import dev.traceinsights.sampling.AdaptiveSamplerBuilder;
import dev.traceinsights.sampling.RecordingSampler;
import dev.traceinsights.sampling.RuleBasedSampler;
import dev.traceinsights.sampling.SamplingRule;
import dev.traceinsights.sampling.SamplingRules;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.function.Consumer;

/**
 * The samplers the extension offers through {@code otel.traces.sampler}, built from their keys.
 * Like every other setting, a bad value is reported in one line and replaced by its default.
 */
final class SamplerConfig {

  static final String RULES = "traceinsights.sampler.rules";
  static final String RULES_FALLBACK_RATIO = "traceinsights.sampler.rules.fallback-ratio";
  static final String ADAPTIVE_TARGET = "traceinsights.sampler.adaptive.target-per-second";
  static final String ADAPTIVE_MAX_OPERATIONS = "traceinsights.sampler.adaptive.max-operations";
  static final String RECORD_ALL = "traceinsights.sampler.record-all";
  static final String SAMPLER_ARG = "otel.traces.sampler.arg";

  private SamplerConfig() {}

  /** {@code traceinsights_rules}: the rules, then a parent-based ratio for what none matches. */
  static Sampler rules(ConfigProperties properties, Consumer<String> warnings) {
    ConfigReader reader = new ConfigReader(properties, warnings);
    List<SamplingRule> rules = List.of();
    String text = properties.getString(RULES);
    if (text != null && !text.isBlank()) {
      try {
        rules = SamplingRules.parse(text);
      } catch (IllegalArgumentException e) {
        reader.reject(RULES + ": " + e.getMessage() + "; using no rules");
      }
    }
    double fallbackRatio = reader.doubleIn(RULES_FALLBACK_RATIO, 1.0, 0, 1);
    return RuleBasedSampler.builder()
        .addRules(rules)
        .setFallback(Sampler.parentBased(Sampler.traceIdRatioBased(fallbackRatio)))
        .build();
  }

  /** {@code traceinsights_adaptive}: a target of sampled traces per second per root operation. */
  static Sampler adaptive(ConfigProperties properties, Consumer<String> warnings) {
    ConfigReader reader = new ConfigReader(properties, warnings);
    return AdaptiveSampler.builder()
        .setTargetSamplesPerSecond(
            reader.doubleAbove(
                ADAPTIVE_TARGET, AdaptiveSamplerBuilder.DEFAULT_TARGET_SAMPLES_PER_SECOND, 0))
        .setMaxOperations(
            reader.intAtLeast(
                ADAPTIVE_MAX_OPERATIONS, AdaptiveSamplerBuilder.DEFAULT_MAX_OPERATIONS, 1))
        .build();
  }

  /**
   * {@code traceinsights_record_all}: every span recorded, so analysis and statistics see all
   * requests; a parent-based ratio ({@code otel.traces.sampler.arg}, default 0) decides what is
   * exported on its own, and tail decisions add to it.
   */
  static Sampler recordAll(ConfigProperties properties, Consumer<String> warnings) {
    double ratio = new ConfigReader(properties, warnings).doubleIn(SAMPLER_ARG, 0, 0, 1);
    return RecordingSampler.wrap(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)));
  }

  /** {@code traceinsights.sampler.record-all=true} wraps whichever sampler is configured. */
  static Sampler maybeRecordAll(Sampler configured, boolean recordAll) {
    if (!recordAll || configured instanceof RecordingSampler) {
      return configured;
    }
    return RecordingSampler.wrap(configured);
  }
}
