package dev.traceinsights.sampling;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link RuleBasedSampler}. */
public final class RuleBasedSamplerBuilder {

  private final List<SamplingRule> rules = new ArrayList<>();
  private Sampler fallback = Sampler.parentBased(Sampler.alwaysOn());

  RuleBasedSamplerBuilder() {}

  /** Appends a rule; rules are tried in the order added and the first match decides. */
  public RuleBasedSamplerBuilder addRule(SamplingRule rule) {
    rules.add(requireNonNull(rule, "rule"));
    return this;
  }

  /** Appends rules in order, e.g. those of {@link SamplingRules#parse}. */
  public RuleBasedSamplerBuilder addRules(List<SamplingRule> rules) {
    requireNonNull(rules, "rules");
    for (SamplingRule rule : rules) {
      addRule(rule);
    }
    return this;
  }

  /**
   * Decides entry spans that no rule matches; it is called with the original arguments, so a
   * parent-based fallback sees the remote parent. Default {@code
   * Sampler.parentBased(Sampler.alwaysOn())}.
   */
  public RuleBasedSamplerBuilder setFallback(Sampler fallback) {
    this.fallback = requireNonNull(fallback, "fallback");
    return this;
  }

  public RuleBasedSampler build() {
    return new RuleBasedSampler(rules, fallback);
  }
}
