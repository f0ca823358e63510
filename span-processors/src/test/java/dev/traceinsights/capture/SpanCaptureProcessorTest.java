package dev.traceinsights.capture;

import static dev.traceinsights.semconv.InsightAttributes.SPAN_ALLOCATED_BYTES;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_CPU_TIME_NS;
import static dev.traceinsights.semconv.InsightAttributes.THREAD_NAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanCaptureProcessorTest {

  private static final int ALLOCATED = 4 * 1024 * 1024;

  // Keeps allocations reachable so the JIT cannot remove them.
  static volatile Object sink;

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private SdkTracerProvider provider;

  @AfterEach
  void tearDown() {
    provider.close();
  }

  @Test
  void allocatingSpanReportsAtLeastWhatItAllocated() {
    Tracer tracer = tracer(SpanCaptureProcessor.create());

    Span span = tracer.spanBuilder("allocate").startSpan();
    sink = new byte[ALLOCATED];
    span.end();

    assertThat(only("allocate").getAttributes().get(SPAN_ALLOCATED_BYTES))
        .isGreaterThanOrEqualTo(ALLOCATED)
        .isLessThan(ALLOCATED + 1024 * 1024);
  }

  @Test
  void parentIncludesItsSameThreadChildrensAllocations() {
    Tracer tracer = tracer(SpanCaptureProcessor.create());

    Span parent = tracer.spanBuilder("parent").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      Span child = tracer.spanBuilder("child").startSpan();
      sink = new byte[ALLOCATED];
      child.end();
    }
    parent.end();

    long child = only("child").getAttributes().get(SPAN_ALLOCATED_BYTES);
    long parentBytes = only("parent").getAttributes().get(SPAN_ALLOCATED_BYTES);
    assertThat(child).isGreaterThanOrEqualTo(ALLOCATED);
    assertThat(parentBytes).isGreaterThanOrEqualTo(child);
  }

  @Test
  void spanEndedOnAnotherThreadHasNoAllocationNotAWrongOne() throws Exception {
    Tracer tracer = tracer(SpanCaptureProcessor.create());
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Span span = tracer.spanBuilder("async").startSpan();
      other.submit(() -> span.end()).get(10, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
    }

    SpanData async = only("async");
    assertThat(async.getAttributes().get(SPAN_ALLOCATED_BYTES)).isNull();
    assertThat(async.getAttributes().get(THREAD_NAME))
        .isNotEqualTo(Thread.currentThread().getName());
  }

  @Test
  void writesThreadNameOnlyWhenAbsent() {
    Tracer tracer = tracer(SpanCaptureProcessor.create());

    tracer.spanBuilder("plain").startSpan().end();
    tracer.spanBuilder("named").setAttribute(THREAD_NAME, "set-by-agent").startSpan().end();

    assertThat(only("plain").getAttributes().get(THREAD_NAME))
        .isEqualTo(Thread.currentThread().getName());
    assertThat(only("named").getAttributes().get(THREAD_NAME)).isEqualTo("set-by-agent");
  }

  @Test
  void cpuTimeOnlyWhenEnabled() {
    Tracer tracer = tracer(SpanCaptureProcessor.builder().setCaptureCpuTime(true).build());

    Span span = tracer.spanBuilder("busy").startSpan();
    long spin = 0;
    for (int i = 0; i < 2_000_000; i++) {
      spin += i % 7;
    }
    sink = spin;
    span.end();

    assertThat(only("busy").getAttributes().get(SPAN_CPU_TIME_NS)).isPositive();
  }

  @Test
  void cpuTimeIsOffByDefault() {
    Tracer tracer = tracer(SpanCaptureProcessor.create());
    tracer.spanBuilder("span").startSpan().end();
    assertThat(only("span").getAttributes().get(SPAN_CPU_TIME_NS)).isNull();
  }

  @Test
  void disabledCaptureTouchesNothing() {
    SpanCaptureProcessor capture =
        SpanCaptureProcessor.builder()
            .setCaptureAllocations(false)
            .setCaptureThreadName(false)
            .build();
    Tracer tracer = tracer(capture);

    tracer.spanBuilder("span").startSpan().end();

    assertThat(capture.isStartRequired()).isFalse();
    assertThat(capture.isOnEndingRequired()).isFalse();
    assertThat(only("span").getAttributes().isEmpty()).isTrue();
  }

  @Test
  void openSpanStackStaysBoundedWhenSpansEndElsewhere() throws Exception {
    Tracer tracer = tracer(SpanCaptureProcessor.create());
    ExecutorService other = Executors.newSingleThreadExecutor();
    OpenSpanStack stack = new OpenSpanStack();
    try {
      for (int i = 0; i < 10 * OpenSpanStack.CAPACITY; i++) {
        Span span = tracer.spanBuilder("async-" + i).startSpan();
        stack.push((io.opentelemetry.sdk.trace.ReadableSpan) span, i, i);
        other.submit(() -> span.end()).get(10, TimeUnit.SECONDS);
        assertThat(stack.size()).isLessThanOrEqualTo(OpenSpanStack.CAPACITY);
      }
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void openSpanStackFindsSpansEndingOutOfOrder() {
    Tracer tracer = tracer(SpanCaptureProcessor.create());
    OpenSpanStack stack = new OpenSpanStack();
    io.opentelemetry.sdk.trace.ReadableSpan a =
        (io.opentelemetry.sdk.trace.ReadableSpan) tracer.spanBuilder("a").startSpan();
    io.opentelemetry.sdk.trace.ReadableSpan b =
        (io.opentelemetry.sdk.trace.ReadableSpan) tracer.spanBuilder("b").startSpan();
    stack.push(a, 10, 100);
    stack.push(b, 20, 200);

    assertThat(stack.remove(a)).isTrue();
    assertThat(stack.removedAllocatedBytes()).isEqualTo(10);
    assertThat(stack.removedCpuTimeNanos()).isEqualTo(100);
    assertThat(stack.remove(a)).isFalse();
    assertThat(stack.remove(b)).isTrue();
    assertThat(stack.removedAllocatedBytes()).isEqualTo(20);
    assertThat(stack.size()).isZero();
  }

  private Tracer tracer(SpanCaptureProcessor capture) {
    provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(capture)
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    return provider.get("test");
  }

  private SpanData only(String name) {
    List<SpanData> spans =
        exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }
}
