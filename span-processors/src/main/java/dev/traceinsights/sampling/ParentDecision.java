package dev.traceinsights.sampling;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * How a span that does not enter the process follows its parent. Our samplers decide once, where a
 * trace enters the process; every span below that point inherits the decision.
 *
 * <p>Unlike the SDK's {@code parentBased} sampler, a local parent that is recorded but not sampled
 * (RECORD_ONLY, e.g. from {@link RecordingSampler}) passes RECORD_ONLY on to its children instead
 * of DROP, so span processors see the whole local subtree of a trace that is not exported.
 */
final class ParentDecision {

  private ParentDecision() {}

  /** Sampled → sample; recorded but not sampled → record only; otherwise drop. */
  static SamplingResult ofLocalParent(Span parent) {
    if (parent.getSpanContext().isSampled()) {
      return SamplingResult.recordAndSample();
    }
    return parent.isRecording() ? SamplingResult.recordOnly() : SamplingResult.drop();
  }

  /**
   * The upstream service's decision: sampled → sample, otherwise drop. Whether the remote span was
   * recorded over there is not propagated, so there is nothing else to follow.
   */
  static SamplingResult ofRemoteParent(SpanContext parent) {
    return parent.isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
  }
}
