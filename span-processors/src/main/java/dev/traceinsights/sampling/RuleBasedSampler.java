package dev.traceinsights.sampling;

import dev.traceinsights.internal.ThrottledLogger;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples, drops or records-only traces by span name, span kind and attributes, where they enter
 * the process: at a root span (no valid parent) or a span whose parent is remote. The first rule
 * that matches decides; when none does, the fallback sampler decides (default {@code
 * Sampler.parentBased(Sampler.alwaysOn())}). A rule wins over the upstream decision, so {@code
 * sample:attr.url.path=*}{@code /checkout*} keeps checkouts even when the caller did not sample
 * them.
 *
 * <p>Spans with a local parent follow it: sampled → sampled; recorded but not sampled → record
 * only; otherwise dropped. Rules are not consulted for them.
 *
 * <p><b>Only attributes given to the span builder before {@code startSpan} are visible.</b> For
 * HTTP server spans the OpenTelemetry javaagent sets {@code url.path}, {@code url.scheme}, {@code
 * http.request.method}, {@code server.address} and the like at start, but usually not {@code
 * http.route}, which is known only after routing; the span name at start may likewise be just the
 * method ({@code GET}) and be renamed to {@code GET /route} later. Match HTTP entry points on
 * {@code url.path}.
 *
 * <p>Cost per entry span: the rules in order, each a kind comparison, a precompiled glob on the
 * name and one attribute lookup per attribute condition; no allocation, no locks. The sampler never
 * throws: a failure (e.g. in the fallback) drops the span and is logged once.
 */
public final class RuleBasedSampler implements Sampler {

  private static final Logger logger = Logger.getLogger(RuleBasedSampler.class.getName());

  private final SamplingRule[] rules;
  private final Sampler fallback;
  private final String description;
  private final ThrottledLogger failures = ThrottledLogger.of(logger);

  RuleBasedSampler(List<SamplingRule> rules, Sampler fallback) {
    this.rules = rules.toArray(new SamplingRule[0]);
    this.fallback = fallback;
    this.description =
        "RuleBasedSampler{rules="
            + Arrays.toString(this.rules)
            + ", fallback="
            + fallback.getDescription()
            + "}";
  }

  public static RuleBasedSamplerBuilder builder() {
    return new RuleBasedSamplerBuilder();
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    try {
      Span parent = Span.fromContext(parentContext);
      SpanContext parentSpanContext = parent.getSpanContext();
      if (parentSpanContext.isValid() && !parentSpanContext.isRemote()) {
        return ParentDecision.ofLocalParent(parent);
      }
      for (SamplingRule rule : rules) {
        if (rule.matches(name, spanKind, attributes)) {
          return rule.action().result();
        }
      }
      return fallback.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    } catch (RuntimeException e) {
      failures.log(Level.WARNING, "Sampling failed, dropping the span: " + this, e);
      return SamplingResult.drop();
    }
  }

  /** The rules, first match wins. */
  public List<SamplingRule> rules() {
    return List.of(rules);
  }

  @Override
  public String getDescription() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
