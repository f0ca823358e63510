package dev.traceinsights.sampling;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.function.Supplier;

/** Stand-in samplers to wrap or fall back to, for tests of our samplers. */
final class TestSamplers {

  private TestSamplers() {}

  /** Always returns {@code result}; described as {@code Constant{<decision>}}. */
  static Sampler constant(SamplingResult result) {
    return sampler("Constant{" + result.getDecision() + "}", () -> result);
  }

  /** Throws an {@link IllegalStateException} with {@code message}; described as {@code Failing}. */
  static Sampler failing(String message) {
    return sampler(
        "Failing",
        () -> {
          throw new IllegalStateException(message);
        });
  }

  private static Sampler sampler(String description, Supplier<SamplingResult> decide) {
    return new Sampler() {
      @Override
      public SamplingResult shouldSample(
          Context parentContext,
          String traceId,
          String name,
          SpanKind spanKind,
          Attributes attributes,
          List<LinkData> parentLinks) {
        return decide.get();
      }

      @Override
      public String getDescription() {
        return description;
      }
    };
  }
}
