package dev.traceinsights;

import static dev.traceinsights.semconv.InsightAttributes.SPAN_BOTTLENECK;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_BOTTLENECK_CATEGORY;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_CRITICAL_PATH_NS;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_LATE;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_SELF_TIME_NS;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_UNANALYZED;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_BOTTLENECK_SPAN_NAME;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_CRITICAL_PATH_SPAN_IDS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.ReleaseReason;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceInsightsSpanProcessorTest {

  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final Duration LONG_GRACE = Duration.ofHours(1);

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private SdkTracerProvider provider;
  private TraceInsightsSpanProcessor processor;

  @AfterEach
  void tearDown() {
    if (provider != null) {
      provider.shutdown().join(10, SECONDS);
    }
  }

  @Test
  void exportsNothingUntilTheLocalTraceIsComplete() {
    Tracer tracer = tracer(builder(SimpleSpanProcessor.create(exporter), LONG_GRACE));

    Span root = tracer.spanBuilder("root").startSpan();
    tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan().end();
    root.end();
    // The grace period (an hour) has not passed: only a flush completes the trace.
    assertThat(exporter.getFinishedSpanItems()).isEmpty();

    processor.forceFlush().join(10, SECONDS);

    assertThat(exporter.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("child", "root");
    // The path is root, child, root; each span at most once, and only those holding a twentieth
    // of it (which of the two do depends on this machine's timing).
    assertThat(exported("root").getAttributes().get(TRACE_CRITICAL_PATH_SPAN_IDS))
        .isNotEmpty()
        .doesNotHaveDuplicates()
        .isSubsetOf(exported("root").getSpanId(), exported("child").getSpanId());
  }

  @Test
  void completesOnItsOwnAfterTheGrace() {
    Tracer tracer = tracer(builder(SimpleSpanProcessor.create(exporter), Duration.ZERO));

    tracer.spanBuilder("root").startSpan().end();

    await().atMost(10, SECONDS).until(() -> exporter.getFinishedSpanItems().size() == 1);
    // Analysed: the lone root is its own bottleneck, all of it on the critical path.
    assertThat(exported("root").getAttributes().get(SPAN_CRITICAL_PATH_NS)).isNotNull();
  }

  @Test
  void exportedSpansCarryTheirAnalysisAndListenersReceiveIt() {
    List<TraceAnalysis> analyses = new CopyOnWriteArrayList<>();
    Tracer tracer =
        tracer(
            builder(SimpleSpanProcessor.create(exporter), LONG_GRACE)
                .addListener((analysis, spans) -> analyses.add(analysis)));

    // root  |0=========================100|
    // query      |10==============90|          db.system=h2: the bottleneck
    Span root =
        tracer
            .spanBuilder("GET /orders")
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(T0, NANOSECONDS)
            .startSpan();
    Span query =
        tracer
            .spanBuilder("SELECT orders")
            .setParent(Context.root().with(root))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("db.system", "h2")
            .setStartTimestamp(T0 + ms(10), NANOSECONDS)
            .startSpan();
    query.end(T0 + ms(90), NANOSECONDS);
    root.end(T0 + ms(100), NANOSECONDS);
    processor.forceFlush().join(10, SECONDS);

    SpanData exportedQuery = exported("SELECT orders");
    // Its time on the path; its self time is the same 80 ms, so it is not repeated.
    assertThat(exportedQuery.getAttributes().get(SPAN_CRITICAL_PATH_NS)).isEqualTo(ms(80));
    assertThat(exportedQuery.getAttributes().get(SPAN_SELF_TIME_NS)).isNull();
    assertThat(exportedQuery.getAttributes().get(SPAN_BOTTLENECK)).isTrue();
    assertThat(exportedQuery.getAttributes().get(SPAN_BOTTLENECK_CATEGORY)).isEqualTo("database");
    // At the default level the root's own figures are left to the backend; the path is listed.
    assertThat(exported("GET /orders").getAttributes().get(SPAN_SELF_TIME_NS)).isNull();
    assertThat(exported("GET /orders").getAttributes().get(TRACE_CRITICAL_PATH_SPAN_IDS))
        .containsExactly(exported("GET /orders").getSpanId(), exportedQuery.getSpanId());
    assertThat(exported("GET /orders").getAttributes().get(TRACE_BOTTLENECK_SPAN_NAME))
        .isEqualTo("SELECT orders");

    assertThat(analyses).hasSize(1);
    assertThat(analyses.get(0).rootSpanId()).isEqualTo(exported("GET /orders").getSpanId());
    assertThat(processor.stats().analyzedTraces()).isEqualTo(1);
    assertThat(processor.stats().analyzedSpans()).isEqualTo(2);
  }

  @Test
  void failingListenerIsCountedAndChangesNothingElse() {
    Tracer tracer =
        tracer(
            builder(SimpleSpanProcessor.create(exporter), LONG_GRACE)
                .addListener(
                    (analysis, spans) -> {
                      throw new IllegalStateException("listener bug");
                    }));

    tracer.spanBuilder("root").startSpan().end();
    processor.forceFlush().join(10, SECONDS);
    tracer.spanBuilder("root").startSpan().end();
    processor.forceFlush().join(10, SECONDS);

    assertThat(exporter.getFinishedSpanItems()).hasSize(2);
    assertThat(processor.stats().listenerFailures()).isEqualTo(2);
  }

  @Test
  void fullQueueSendsSpansStraightDownstreamAndCountsThem() throws Exception {
    CountDownLatch workerStuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SpanProcessor downstream = SimpleSpanProcessor.create(exporter);
    SpanProcessor blockingOnWorker =
        new ForwardingProcessor(downstream) {
          @Override
          public void onEnd(ReadableSpan span) {
            if (Thread.currentThread().getName().equals("traceinsights-analysis")) {
              workerStuck.countDown();
              awaitQuietly(release);
            }
            super.onEnd(span);
          }
        };
    Tracer tracer = tracer(builder(blockingOnWorker, Duration.ZERO).setQueueSize(2));

    tracer.spanBuilder("first").startSpan().end();
    assertThat(workerStuck.await(10, SECONDS)).isTrue();
    for (int i = 0; i < 5; i++) {
      tracer.spanBuilder("flood").startSpan().end(); // 2 fit in the queue, 3 do not
    }

    assertThat(processor.stats().releasedSpans(ReleaseReason.QUEUE_FULL)).isEqualTo(3);
    assertThat(exporter.getFinishedSpanItems()).hasSize(3);
    release.countDown();
    await().atMost(10, SECONDS).until(() -> exporter.getFinishedSpanItems().size() == 6);
  }

  @Test
  void traceWhoseRootNeverEndsIsReleasedAfterTheTimeout() {
    TestClock clock = TestClock.create();
    Tracer tracer =
        tracer(
            builder(SimpleSpanProcessor.create(exporter), Duration.ZERO)
                .setAssemblyLimits(limits(Duration.ZERO, Duration.ofSeconds(30)))
                .setClock(clock));
    Span root = tracer.spanBuilder("root").startSpan();
    tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan().end();
    processor.forceFlush().join(10, SECONDS); // the child is buffered, its root still runs
    assertThat(exporter.getFinishedSpanItems()).isEmpty();

    clock.advance(Duration.ofSeconds(31));

    await().atMost(10, SECONDS).until(() -> !exporter.getFinishedSpanItems().isEmpty());
    assertThat(exported("child").getAttributes().get(SPAN_UNANALYZED)).isEqualTo("timeout");
    assertThat(processor.stats().releasedSpans(ReleaseReason.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void lateSpanIsExportedMarkedLate() {
    Tracer tracer = tracer(builder(SimpleSpanProcessor.create(exporter), LONG_GRACE));
    Span root = tracer.spanBuilder("root").startSpan();
    Span background =
        tracer.spanBuilder("background").setParent(Context.root().with(root)).startSpan();
    root.end();
    processor.forceFlush().join(10, SECONDS);

    background.end();
    processor.forceFlush().join(10, SECONDS);

    assertThat(exported("background").getAttributes().get(SPAN_LATE)).isTrue();
    assertThat(processor.stats().lateSpans()).isEqualTo(1);
  }

  @Test
  void shutdownReleasesUnfinishedTracesAndShutsDownstreamDown() {
    // Recorded at the downstream: the in-memory exporter forgets its spans when shut down.
    List<SpanData> received = new CopyOnWriteArrayList<>();
    boolean[] downstreamShutDown = new boolean[1];
    SpanProcessor recording =
        new ForwardingProcessor(SimpleSpanProcessor.create(exporter)) {
          @Override
          public void onEnd(ReadableSpan span) {
            received.add(span.toSpanData());
          }

          @Override
          public CompletableResultCode shutdown() {
            downstreamShutDown[0] = true;
            return super.shutdown();
          }
        };
    Tracer tracer = tracer(builder(recording, LONG_GRACE));
    Span root = tracer.spanBuilder("root").startSpan();
    tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan().end();

    CompletableResultCode result = provider.shutdown().join(10, SECONDS);

    assertThat(result.isSuccess()).isTrue();
    assertThat(downstreamShutDown[0]).isTrue();
    assertThat(received).hasSize(1);
    assertThat(received.get(0).getAttributes().get(SPAN_UNANALYZED)).isEqualTo("shutdown");
    assertThat(processor.stats().releasedSpans(ReleaseReason.SHUTDOWN)).isEqualTo(1);
    assertThatCode(root::end).doesNotThrowAnyException(); // after shutdown
    provider = null;
  }

  @Test
  void downstreamFailuresNeverReachTheApplicationThread() {
    List<String> seen = new CopyOnWriteArrayList<>();
    SpanProcessor throwing =
        new ForwardingProcessor(SimpleSpanProcessor.create(exporter)) {
          @Override
          public void onEnd(ReadableSpan span) {
            seen.add(span.getName());
            throw new IllegalStateException("exporter bug");
          }
        };
    Tracer tracer = tracer(builder(throwing, Duration.ZERO));

    assertThatCode(() -> tracer.spanBuilder("a").startSpan().end()).doesNotThrowAnyException();
    await().atMost(10, SECONDS).until(() -> seen.contains("a"));
    tracer.spanBuilder("b").startSpan().end();
    await().atMost(10, SECONDS).until(() -> seen.contains("b"));
  }

  private TraceInsightsSpanProcessorBuilder builder(SpanProcessor downstream, Duration grace) {
    return TraceInsightsSpanProcessor.builder(downstream)
        .setAssemblyLimits(limits(grace, Duration.ofMinutes(5)));
  }

  private static AssemblyLimits limits(Duration grace, Duration timeout) {
    AssemblyLimits defaults = AssemblyLimits.defaults();
    return new AssemblyLimits(
        defaults.maxTraces(),
        defaults.maxSpansPerTrace(),
        defaults.maxBytes(),
        grace,
        timeout,
        defaults.rememberedSpans());
  }

  private Tracer tracer(TraceInsightsSpanProcessorBuilder builder) {
    processor = builder.build();
    provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    return provider.get("test");
  }

  private SpanData exported(String name) {
    List<SpanData> spans =
        exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(spans).as("exported spans named %s", name).hasSize(1);
    return spans.get(0);
  }

  private static long ms(long millis) {
    return MILLISECONDS.toNanos(millis);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Passes everything to a delegate; tests override what they need to observe. */
  private static class ForwardingProcessor implements SpanProcessor {
    private final SpanProcessor delegate;

    ForwardingProcessor(SpanProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      delegate.onStart(parentContext, span);
    }

    @Override
    public boolean isStartRequired() {
      return delegate.isStartRequired();
    }

    @Override
    public void onEnd(ReadableSpan span) {
      delegate.onEnd(span);
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public CompletableResultCode forceFlush() {
      return delegate.forceFlush();
    }
  }
}
