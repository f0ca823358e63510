package dev.traceinsights.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.testing.EndedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuleBasedSamplerTest {

  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final EndedSpans recorded = new EndedSpans();
  private SdkTracerProvider provider;

  @AfterEach
  void tearDown() {
    if (provider != null) {
      provider.close();
    }
  }

  private Tracer tracer(Sampler sampler) {
    provider =
        SdkTracerProvider.builder()
            .setSampler(sampler)
            .addSpanProcessor(recorded)
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    return provider.get("test");
  }

  private static RuleBasedSampler rules(String config) {
    return RuleBasedSampler.builder().addRules(SamplingRules.parse(config)).build();
  }

  private List<String> exported() {
    return exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList();
  }

  @Test
  void eachActionAndTheFallbackForRootSpans() {
    Tracer tracer = tracer(rules("sample:name=a; drop:name=b; record_only:name=c"));

    for (String name : List.of("a", "b", "c", "unmatched")) {
      tracer.spanBuilder(name).startSpan().end();
    }

    assertThat(exported()).containsExactly("a", "unmatched");
    assertThat(recorded.names()).containsExactly("a", "c", "unmatched");
  }

  @Test
  void firstMatchingRuleWins() {
    RuleBasedSampler dropFirst = rules("drop:name=GET /health; sample:name=GET *");
    RuleBasedSampler sampleFirst = rules("sample:name=GET *; drop:name=GET /health");

    assertThat(decision(dropFirst, Context.root(), "GET /health")).isEqualTo(SamplingDecision.DROP);
    assertThat(decision(dropFirst, Context.root(), "GET /users"))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decision(sampleFirst, Context.root(), "GET /health"))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void healthChecksAreDroppedByNameOrByPath() {
    Tracer tracer =
        tracer(
            RuleBasedSampler.builder()
                .addRule(SamplingRule.drop().matchSpanName("GET /health").build())
                .addRule(SamplingRule.drop().matchAttribute("url.path", "/health").build())
                .build());

    tracer.spanBuilder("GET /health").startSpan().end();
    tracer.spanBuilder("GET").setAttribute(URL_PATH, "/health").startSpan().end();
    tracer.spanBuilder("GET").setAttribute(URL_PATH, "/health/deep").startSpan().end();
    tracer.spanBuilder("GET").setAttribute(URL_PATH, "/users").startSpan().end();

    assertThat(exporter.getFinishedSpanItems())
        .extracting(span -> span.getAttributes().get(URL_PATH))
        .containsExactly("/health/deep", "/users");
  }

  @Test
  void checkoutIsKeptEvenWhenTheRemoteCallerDidNotSample() {
    Tracer tracer =
        tracer(rules("sample:attr.http.route=*/checkout*; sample:attr.url.path=*/checkout*"));

    server(tracer, "pay", "/eu/checkout/pay", TestContexts.remoteParent(false));
    server(tracer, "cart-unsampled", "/cart", TestContexts.remoteParent(false));
    server(tracer, "cart-sampled", "/cart", TestContexts.remoteParent(true));

    // Unmatched remote children go to the fallback, parentBased(alwaysOn): the caller decides.
    assertThat(exported()).containsExactly("pay", "cart-sampled");
  }

  @Test
  void ruleWinsOverASampledRemoteParent() {
    Tracer tracer = tracer(rules("drop:attr.url.path=/health"));

    server(tracer, "health", "/health", TestContexts.remoteParent(true));

    assertThat(recorded.names()).isEmpty();
  }

  private static void server(Tracer tracer, String name, String path, Context parent) {
    tracer
        .spanBuilder(name)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(URL_PATH, path)
        .startSpan()
        .end();
  }

  @Test
  void kindMustMatchExactlyAndAllConditionsMustHold() {
    Tracer tracer = tracer(rules("record_only:kind=internal,name=cache.*"));

    tracer.spanBuilder("cache.get").setSpanKind(SpanKind.INTERNAL).startSpan().end();
    tracer.spanBuilder("cache.put").setSpanKind(SpanKind.CLIENT).startSpan().end();
    tracer.spanBuilder("db.query").setSpanKind(SpanKind.INTERNAL).startSpan().end();

    assertThat(exported()).containsExactly("cache.put", "db.query");
    assertThat(recorded.names()).containsExactly("cache.get", "cache.put", "db.query");
  }

  @Test
  void localChildrenFollowTheirParentNotTheRules() {
    // Each child's name matches a rule that would decide otherwise if it were consulted.
    Tracer tracer =
        tracer(
            rules(
                "record_only:name=recorded-root; drop:name=dropped-root;"
                    + " drop:name=child-of-sampled; sample:name=child-of-*"));

    Span sampledRoot = tracer.spanBuilder("sampled-root").startSpan();
    Span recordedRoot = tracer.spanBuilder("recorded-root").startSpan();
    Span droppedRoot = tracer.spanBuilder("dropped-root").startSpan();
    Span ofSampled = child(tracer, "child-of-sampled", sampledRoot);
    Span ofRecorded = child(tracer, "child-of-recorded", recordedRoot);
    Span ofDropped = child(tracer, "child-of-dropped", droppedRoot);

    assertThat(ofSampled.getSpanContext().isSampled()).isTrue();
    assertThat(ofRecorded.isRecording()).isTrue();
    assertThat(ofRecorded.getSpanContext().isSampled()).isFalse();
    assertThat(ofDropped.isRecording()).isFalse();
    assertThat(ofDropped.getSpanContext().isSampled()).isFalse();
  }

  private static Span child(Tracer tracer, String name, Span parent) {
    try (Scope ignored = parent.makeCurrent()) {
      return tracer.spanBuilder(name).startSpan();
    }
  }

  @Test
  void localParentThatIsSampledButNotRecordingStillSamples() {
    RuleBasedSampler sampler = rules("drop:name=x");

    assertThat(decision(sampler, TestContexts.localNonRecordingParent(true), "x"))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decision(sampler, TestContexts.localNonRecordingParent(false), "y"))
        .isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void fallbackDecidesUnmatchedEntrySpans() {
    RuleBasedSampler sampler =
        RuleBasedSampler.builder()
            .addRule(SamplingRule.sample().matchSpanName("keep").build())
            .setFallback(Sampler.alwaysOff())
            .build();

    assertThat(decision(sampler, Context.root(), "keep"))
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decision(sampler, Context.root(), "other")).isEqualTo(SamplingDecision.DROP);
    assertThat(decision(sampler, TestContexts.remoteParent(true), "other"))
        .isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void attributeOfAnotherTypeNeverMatchesAndDoesNotFail() {
    Tracer tracer =
        tracer(
            rules(
                "drop:attr.http.response.status_code=200; drop:attr.tags=a;"
                    + " drop:attr.flag=true"));

    tracer
        .spanBuilder("typed")
        .setAttribute(AttributeKey.longKey("http.response.status_code"), 200L)
        .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a"))
        .setAttribute(AttributeKey.booleanKey("flag"), true)
        .startSpan()
        .end();

    assertThat(exported()).containsExactly("typed");
  }

  @Test
  void attributesSetAfterStartAreNotSeen() {
    Tracer tracer = tracer(rules("drop:attr.url.path=/health"));

    Span span = tracer.spanBuilder("GET").startSpan();
    span.setAttribute(URL_PATH, "/health");
    span.end();

    assertThat(exported()).containsExactly("GET");
  }

  @Test
  void neverThrowsFailuresDrop() {
    Sampler failingFallback = TestSamplers.failing("fallback failed");
    RuleBasedSampler sampler =
        RuleBasedSampler.builder()
            .addRules(SamplingRules.parse("sample:attr.url.path=/x"))
            .setFallback(failingFallback)
            .build();
    Attributes failingAttributes =
        (Attributes)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Attributes.class},
                (proxy, method, args) -> {
                  throw new IllegalStateException("attributes failed");
                });

    assertThat(decision(sampler, Context.root(), "unmatched")).isEqualTo(SamplingDecision.DROP);
    assertThat(
            sampler
                .shouldSample(
                    Context.root(),
                    TestContexts.TRACE_ID,
                    "x",
                    SpanKind.SERVER,
                    failingAttributes,
                    List.of())
                .getDecision())
        .isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void descriptionListsRulesAndFallback() {
    RuleBasedSampler sampler = rules("drop:name=GET /health; record_only:kind=internal");

    assertThat(sampler.getDescription())
        .isEqualTo(
            "RuleBasedSampler{rules=[drop:name=GET /health, record_only:kind=internal],"
                + " fallback=ParentBased{root:AlwaysOnSampler,remoteParentSampled:AlwaysOnSampler,"
                + "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
                + "localParentNotSampled:AlwaysOffSampler}}");
    assertThat(sampler).hasToString(sampler.getDescription());
    assertThat(sampler.rules()).hasSize(2);
  }

  private static SamplingDecision decision(Sampler sampler, Context parent, String name) {
    return sampler
        .shouldSample(
            parent, TestContexts.TRACE_ID, name, SpanKind.INTERNAL, Attributes.empty(), List.of())
        .getDecision();
  }
}
