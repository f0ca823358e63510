package dev.traceinsights.sampling;

import dev.traceinsights.internal.Glob;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One rule of a {@link RuleBasedSampler}: an action and the conditions under which it applies. All
 * conditions must hold: span name (exact or glob), span kind (exact) and string attribute values
 * (exact or glob). Globs know {@code *} (any run of characters) and {@code ?} (one character) and
 * are compiled once, when the rule is built.
 *
 * <p>Attribute conditions only see string values: an attribute of another type (long, boolean,
 * array) under the same key never matches. They also only see attributes passed to the span builder
 * before {@code startSpan}; see {@link RuleBasedSampler}.
 *
 * <p>{@link #toString()} prints the rule in the syntax {@link SamplingRules#parse} reads.
 */
public final class SamplingRule {

  /** A condition on one string attribute. */
  record AttributeCondition(AttributeKey<String> key, Glob value) {}

  private final SamplingAction action;
  @Nullable private final Glob spanName;
  @Nullable private final SpanKind spanKind;
  private final AttributeCondition[] attributes;
  private final Map<String, String> attributePatterns;

  SamplingRule(
      SamplingAction action,
      @Nullable String spanName,
      @Nullable SpanKind spanKind,
      Map<String, String> attributePatterns) {
    this.action = action;
    this.spanName = spanName == null ? null : Glob.compile(spanName);
    this.spanKind = spanKind;
    this.attributePatterns = Collections.unmodifiableMap(new LinkedHashMap<>(attributePatterns));
    this.attributes =
        attributePatterns.entrySet().stream()
            .map(
                e ->
                    new AttributeCondition(
                        AttributeKey.stringKey(e.getKey()), Glob.compile(e.getValue())))
            .toArray(AttributeCondition[]::new);
  }

  /** A rule that samples the matching traces. */
  public static SamplingRuleBuilder sample() {
    return new SamplingRuleBuilder(SamplingAction.SAMPLE);
  }

  /** A rule that drops the matching traces. */
  public static SamplingRuleBuilder drop() {
    return new SamplingRuleBuilder(SamplingAction.DROP);
  }

  /** A rule that records the matching traces without exporting them. */
  public static SamplingRuleBuilder recordOnly() {
    return new SamplingRuleBuilder(SamplingAction.RECORD_ONLY);
  }

  /** A rule that applies {@code action} to the matching traces. */
  public static SamplingRuleBuilder builder(SamplingAction action) {
    return new SamplingRuleBuilder(Objects.requireNonNull(action, "action"));
  }

  public SamplingAction action() {
    return action;
  }

  /** The span name pattern, or {@code null} when the rule does not look at the name. */
  @Nullable
  public String spanNamePattern() {
    return spanName == null ? null : spanName.pattern();
  }

  /** The span kind, or {@code null} when the rule does not look at the kind. */
  @Nullable
  public SpanKind spanKind() {
    return spanKind;
  }

  /** Attribute key → value pattern, in the order they were given. */
  public Map<String, String> attributePatterns() {
    return attributePatterns;
  }

  // Hot path: no allocation; cheapest conditions first.
  boolean matches(String name, SpanKind kind, Attributes attributes) {
    if (spanKind != null && spanKind != kind) {
      return false;
    }
    if (spanName != null && !spanName.matches(name)) {
      return false;
    }
    for (AttributeCondition condition : this.attributes) {
      String value = attributes.get(condition.key());
      if (value == null || !condition.value().matches(value)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SamplingRule)) {
      return false;
    }
    SamplingRule that = (SamplingRule) o;
    return action == that.action
        && Objects.equals(spanNamePattern(), that.spanNamePattern())
        && spanKind == that.spanKind
        && attributePatterns.equals(that.attributePatterns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, spanNamePattern(), spanKind, attributePatterns);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(action.configName()).append(':');
    String separator = "";
    if (spanName != null) {
      text.append("name=").append(spanName.pattern());
      separator = ",";
    }
    if (spanKind != null) {
      text.append(separator).append("kind=").append(spanKind.name().toLowerCase(Locale.ROOT));
      separator = ",";
    }
    for (Map.Entry<String, String> attribute : attributePatterns.entrySet()) {
      text.append(separator)
          .append("attr.")
          .append(attribute.getKey())
          .append('=')
          .append(attribute.getValue());
      separator = ",";
    }
    return text.toString();
  }
}
