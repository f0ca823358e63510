package dev.traceinsights.benchmarks.sampling;

import dev.traceinsights.sampling.AdaptiveSampler;
import dev.traceinsights.sampling.RecordingSampler;
import dev.traceinsights.sampling.RuleBasedSampler;
import dev.traceinsights.sampling.SamplingRules;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one sampling decision for a server span, for each sampler against the SDK's ratio
 * sampler ({@link Candidate#SDK_TRACE_ID_RATIO}, the baseline). Trace ids cycle through a pool of
 * random ones, so ratio decisions go both ways.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class SamplerBenchmark {

  /** The samplers compared. To add one: a constant with a name and how to build it. */
  public enum Candidate {
    /** The baseline: {@code Sampler.traceIdRatioBased(0.1)}. */
    SDK_TRACE_ID_RATIO(() -> Sampler.traceIdRatioBased(0.1)),
    /** What the SDK configures for a 10 % ratio: parent-based around the ratio sampler. */
    SDK_PARENT_BASED_RATIO(() -> Sampler.parentBased(Sampler.traceIdRatioBased(0.1))),
    /** The SDK's default, for scale: parent-based always-on. */
    SDK_PARENT_BASED_ALWAYS_ON(() -> Sampler.parentBased(Sampler.alwaysOn())),
    /**
     * {@code traceinsights_rules} with two rules (neither matches this span) and a parent-based 10
     * % ratio for the rest, as the extension builds it.
     */
    RULES(
        () ->
            RuleBasedSampler.builder()
                .addRules(
                    SamplingRules.parse(
                        "drop:attr.url.path=/health; sample:attr.url.path=*/checkout*"))
                .setFallback(Sampler.parentBased(Sampler.traceIdRatioBased(0.1)))
                .build()),
    /** {@code traceinsights_adaptive} with its defaults. */
    ADAPTIVE(AdaptiveSampler::create),
    /** {@code traceinsights_record_all} around a parent-based 10 % ratio. */
    RECORD_ALL(() -> RecordingSampler.wrap(Sampler.parentBased(Sampler.traceIdRatioBased(0.1))));

    private final Supplier<Sampler> factory;

    Candidate(Supplier<Sampler> factory) {
      this.factory = factory;
    }

    Sampler create() {
      return factory.get();
    }
  }

  /** Where the span starts: a new trace, or below a sampled parent from another service. */
  public enum Parent {
    ROOT,
    REMOTE_SAMPLED
  }

  private static final int TRACE_IDS = 1024; // a power of two: the index wraps with a mask

  private static final Attributes SERVER_ATTRIBUTES =
      Attributes.builder()
          .put("http.request.method", "GET")
          .put("url.path", "/shop/orders")
          .put("url.scheme", "http")
          .put("http.route", "/shop/orders")
          .put("server.address", "127.0.0.1")
          .put("server.port", 8080L)
          .build();

  @Param public Candidate sampler;
  @Param public Parent parent;

  private Sampler instance;
  private Context context;
  private final String[] traceIds = new String[TRACE_IDS];
  private final List<LinkData> links = List.of();
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    instance = sampler.create();
    IdGenerator ids = IdGenerator.random();
    for (int i = 0; i < TRACE_IDS; i++) {
      traceIds[i] = ids.generateTraceId();
    }
    context =
        parent == Parent.ROOT
            ? Context.root()
            : Context.root()
                .with(
                    Span.wrap(
                        SpanContext.createFromRemoteParent(
                            ids.generateTraceId(),
                            ids.generateSpanId(),
                            TraceFlags.getSampled(),
                            TraceState.getDefault())));
  }

  @Benchmark
  public SamplingResult shouldSample() {
    String traceId = traceIds[next++ & (TRACE_IDS - 1)];
    return instance.shouldSample(
        context, traceId, "GET /shop/orders", SpanKind.SERVER, SERVER_ATTRIBUTES, links);
  }
}
