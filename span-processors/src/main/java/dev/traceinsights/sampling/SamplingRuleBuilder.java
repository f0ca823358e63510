package dev.traceinsights.sampling;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.trace.SpanKind;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/** Builds a {@link SamplingRule}; every condition added must hold for the rule to match. */
public final class SamplingRuleBuilder {

  private final SamplingAction action;
  @Nullable private String spanName;
  @Nullable private SpanKind spanKind;
  private final Map<String, String> attributes = new LinkedHashMap<>();

  SamplingRuleBuilder(SamplingAction action) {
    this.action = action;
  }

  /** The span name equals {@code glob}, or matches it when it holds {@code *} or {@code ?}. */
  public SamplingRuleBuilder matchSpanName(String glob) {
    this.spanName = requireNonEmpty(glob, "glob");
    return this;
  }

  /** The span is of {@code kind}. */
  public SamplingRuleBuilder matchSpanKind(SpanKind kind) {
    this.spanKind = requireNonNull(kind, "kind");
    return this;
  }

  /**
   * The string attribute {@code key} is present at span start and equals {@code glob}, or matches
   * it when it holds {@code *} or {@code ?}. A second condition on the same key replaces the first.
   */
  public SamplingRuleBuilder matchAttribute(String key, String glob) {
    attributes.put(requireNonEmpty(key, "key"), requireNonEmpty(glob, "glob"));
    return this;
  }

  /**
   * Builds the rule.
   *
   * @throws IllegalArgumentException when no condition was given: such a rule would decide every
   *     trace; configure the sampler's fallback for that instead
   */
  public SamplingRule build() {
    if (spanName == null && spanKind == null && attributes.isEmpty()) {
      throw new IllegalArgumentException(
          "a sampling rule needs at least one condition (span name, span kind or attribute)");
    }
    return new SamplingRule(action, spanName, spanKind, attributes);
  }

  private static String requireNonEmpty(String value, String name) {
    requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
