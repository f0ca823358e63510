package dev.traceinsights.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.testing.EndedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecordingSamplerTest {

  private static final Sampler USUAL =
      RecordingSampler.wrap(Sampler.parentBased(Sampler.traceIdRatioBased(0.01)));

  @Test
  void dropBecomesRecordOnlyOtherDecisionsPassThrough() {
    assertThat(decision(RecordingSampler.wrap(Sampler.alwaysOff()), Context.root()))
        .isEqualTo(SamplingDecision.RECORD_ONLY);
    assertThat(
            RecordingSampler.wrap(Sampler.alwaysOn())
                .shouldSample(
                    Context.root(),
                    TestContexts.TRACE_ID,
                    "op",
                    SpanKind.SERVER,
                    Attributes.empty(),
                    List.of()))
        .isSameAs(SamplingResult.recordAndSample());
    assertThat(
            decision(
                RecordingSampler.wrap(TestSamplers.constant(SamplingResult.recordOnly())),
                Context.root()))
        .isEqualTo(SamplingDecision.RECORD_ONLY);
  }

  @Test
  void exportersGetTheSampledTracesWholeProcessorsGetEverySpan() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    EndedSpans recorded = new EndedSpans();
    Random random = new Random(99);
    int traces = 2000;
    List<SpanData> exported;
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setSampler(USUAL)
            .setIdGenerator(seeded(random))
            .addSpanProcessor(recorded)
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build()) {
      Tracer tracer = provider.get("test");
      for (int i = 0; i < traces; i++) {
        Span root = tracer.spanBuilder("root").startSpan();
        try (Scope ignored = root.makeCurrent()) {
          tracer.spanBuilder("child").startSpan().end();
        }
        root.end();
      }
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      // Read before close: shutting the in-memory exporter down empties it.
      exported = exporter.getFinishedSpanItems();
    }

    assertThat(recorded.names()).hasSize(2 * traces);
    assertThat(exported).allMatch(span -> span.getSpanContext().isSampled());
    Map<String, List<String>> namesByTrace =
        exported.stream()
            .collect(
                Collectors.groupingBy(
                    SpanData::getTraceId,
                    Collectors.mapping(SpanData::getName, Collectors.toList())));
    assertThat(namesByTrace.values())
        .allSatisfy(names -> assertThat(names).containsExactlyInAnyOrder("root", "child"));
    // 1% of 2000: 20 expected, σ ≈ 4.5.
    assertThat(namesByTrace).hasSizeBetween(8, 35);
  }

  @Test
  void remoteAndLocalParentsWithTheUsualComposition() {
    assertThat(decision(USUAL, TestContexts.remoteParent(true)))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decision(USUAL, TestContexts.remoteParent(false)))
        .isEqualTo(SamplingDecision.RECORD_ONLY);
    assertThat(decision(USUAL, TestContexts.localNonRecordingParent(true)))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decision(USUAL, TestContexts.localNonRecordingParent(false)))
        .isEqualTo(SamplingDecision.RECORD_ONLY);
  }

  @Test
  void sampledRemoteParentIsTheDelegatesCallNotTheWrappers() {
    Sampler notParentBased = RecordingSampler.wrap(Sampler.traceIdRatioBased(0.0));

    assertThat(decision(notParentBased, TestContexts.remoteParent(true)))
        .isEqualTo(SamplingDecision.RECORD_ONLY);
  }

  @Test
  void keepsTheDelegatesAttributesAndTraceState() {
    AttributeKey<String> reason = AttributeKey.stringKey("sampling.reason");
    SamplingResult dropWithExtras =
        new SamplingResult() {
          @Override
          public SamplingDecision getDecision() {
            return SamplingDecision.DROP;
          }

          @Override
          public Attributes getAttributes() {
            return Attributes.of(reason, "over budget");
          }

          @Override
          public TraceState getUpdatedTraceState(TraceState parentTraceState) {
            return parentTraceState.toBuilder().put("ti", "dropped").build();
          }
        };
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setSampler(RecordingSampler.wrap(TestSamplers.constant(dropWithExtras)))
            .addSpanProcessor(new EndedSpans()) // without a processor the SDK hands out no-ops
            .build()) {
      Span span = provider.get("test").spanBuilder("op").startSpan();

      assertThat(span.isRecording()).isTrue();
      assertThat(span.getSpanContext().isSampled()).isFalse();
      assertThat(((ReadableSpan) span).getAttribute(reason)).isEqualTo("over budget");
      assertThat(span.getSpanContext().getTraceState().get("ti")).isEqualTo("dropped");
      span.end();
    }
  }

  @Test
  void failingDelegateRecordsOnly() {
    Sampler failing = RecordingSampler.wrap(TestSamplers.failing("delegate failed"));

    assertThat(decision(failing, Context.root())).isEqualTo(SamplingDecision.RECORD_ONLY);
  }

  @Test
  void descriptionNamesTheDelegate() {
    assertThat(RecordingSampler.wrap(Sampler.traceIdRatioBased(0.25)).getDescription())
        .isEqualTo("RecordingSampler{TraceIdRatioBased{0.250000}}");
    assertThat(RecordingSampler.wrap(Sampler.alwaysOn()))
        .hasToString("RecordingSampler{AlwaysOnSampler}");
  }

  private static SamplingDecision decision(Sampler sampler, Context parent) {
    return sampler
        .shouldSample(
            parent, TestContexts.TRACE_ID, "op", SpanKind.SERVER, Attributes.empty(), List.of())
        .getDecision();
  }

  private static IdGenerator seeded(Random random) {
    return new IdGenerator() {
      @Override
      public String generateSpanId() {
        return String.format("%016x", random.nextLong() | 1);
      }

      @Override
      public String generateTraceId() {
        return String.format("%016x%016x", random.nextLong() | 1, random.nextLong());
      }
    };
  }
}
