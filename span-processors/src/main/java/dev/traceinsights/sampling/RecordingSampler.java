package dev.traceinsights.sampling;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.internal.ThrottledLogger;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records every span, exports what the delegate samples: whenever the delegate answers DROP the
 * answer becomes RECORD_ONLY, with the delegate's attributes and trace state. Span processors (our
 * analysis and statistics) then see all spans, while exporting processors such as {@code
 * BatchSpanProcessor}, which pass on sampled spans only, export exactly what the delegate chose.
 * The usual composition is {@code
 * RecordingSampler.wrap(Sampler.parentBased(Sampler.traceIdRatioBased(0.01)))}.
 *
 * <p>The wrapper never turns a decision into RECORD_AND_SAMPLE: what is exported, and so how a
 * sampled remote parent is treated, stays the delegate's choice, which keeps the export volume what
 * the delegate was configured for. Respecting the caller's decision is what the delegate should be
 * parent-based for, as in the composition above (a sampled remote parent → sampled). A delegate
 * that is not parent-based may record-only a span whose caller sampled the trace, leaving a gap in
 * the exported trace.
 *
 * <p>Children of a record-only span: a parent-based delegate drops them (not sampled parent), and
 * the wrapper records them, so the whole local subtree is recorded. Recording everything costs what
 * recording costs (span objects, attributes, span processor work) for every span, not only the
 * sampled ones.
 *
 * <p>Cost: one call to the delegate; a DROP answer carrying attributes or a trace state update
 * costs one small object, the SDK's cached DROP none. The sampler never throws: a failing delegate
 * gives RECORD_ONLY and is logged once.
 */
public final class RecordingSampler implements Sampler {

  private static final Logger logger = Logger.getLogger(RecordingSampler.class.getName());

  private final Sampler delegate;
  private final ThrottledLogger failures = ThrottledLogger.of(logger);

  private RecordingSampler(Sampler delegate) {
    this.delegate = delegate;
  }

  /** Records every span {@code delegate} would drop; exports what it samples. */
  public static RecordingSampler wrap(Sampler delegate) {
    return new RecordingSampler(requireNonNull(delegate, "delegate"));
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
      SamplingResult result =
          delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
      if (result.getDecision() != SamplingDecision.DROP) {
        return result;
      }
      // The SDK's cached DROP has no attributes and leaves the trace state alone.
      return result == SamplingResult.drop() ? SamplingResult.recordOnly() : new RecordOnly(result);
    } catch (RuntimeException e) {
      failures.log(Level.WARNING, "Sampling failed, recording the span only: " + this, e);
      return SamplingResult.recordOnly();
    }
  }

  public Sampler getDelegate() {
    return delegate;
  }

  @Override
  public String getDescription() {
    return "RecordingSampler{" + delegate.getDescription() + "}";
  }

  @Override
  public String toString() {
    return getDescription();
  }

  /** The delegate's DROP, recorded: its attributes and trace state update are kept. */
  private record RecordOnly(SamplingResult dropped) implements SamplingResult {

    @Override
    public SamplingDecision getDecision() {
      return SamplingDecision.RECORD_ONLY;
    }

    @Override
    public Attributes getAttributes() {
      return dropped.getAttributes();
    }

    @Override
    public TraceState getUpdatedTraceState(TraceState parentTraceState) {
      return dropped.getUpdatedTraceState(parentTraceState);
    }
  }
}
