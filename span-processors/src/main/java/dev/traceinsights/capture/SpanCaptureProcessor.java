package dev.traceinsights.capture;

import static dev.traceinsights.semconv.InsightAttributes.SPAN_ALLOCATED_BYTES;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_CPU_TIME_NS;
import static dev.traceinsights.semconv.InsightAttributes.THREAD_NAME;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.internal.ExtendedSpanProcessor;

/**
 * Measures, on the application thread, what each span cost its thread: bytes allocated and (opt-in)
 * CPU time between start and end, and records the thread's name. Results are written as span
 * attributes in {@link #onEnding}, the last moment a span can still be changed.
 *
 * <p>Only spans that start and end on the same thread are measured: for a span that ends elsewhere
 * the per-thread counters say nothing about it, so its attributes are left absent rather than
 * wrong. Spans whose thread interleaved other work between start and end (e.g. an event loop) are
 * measured including that work; nothing on the thread tells the two apart.
 *
 * <p>Hot-path cost: one thread-local lookup and one allocation-counter read at start, the same at
 * end, plus the attribute. No locks; per-thread memory is bounded by {@link
 * OpenSpanStack#CAPACITY}.
 */
public final class SpanCaptureProcessor implements ExtendedSpanProcessor {

  private final boolean captureAllocations;
  private final boolean captureCpuTime;
  private final boolean captureThreadName;
  private final ThreadResourceMeter meter;
  private final ThreadLocal<OpenSpanStack> openSpans = ThreadLocal.withInitial(OpenSpanStack::new);

  SpanCaptureProcessor(
      boolean captureAllocations,
      boolean captureCpuTime,
      boolean captureThreadName,
      ThreadResourceMeter meter) {
    this.captureAllocations = captureAllocations && meter.allocationSupported();
    this.captureCpuTime = captureCpuTime && meter.cpuSupported();
    this.captureThreadName = captureThreadName;
    this.meter = meter;
  }

  public static SpanCaptureProcessorBuilder builder() {
    return new SpanCaptureProcessorBuilder();
  }

  /** Allocation and thread-name capture on, CPU time off. */
  public static SpanCaptureProcessor create() {
    return builder().build();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (captureAllocations || captureCpuTime) {
      openSpans
          .get()
          .push(
              span,
              captureAllocations ? meter.allocatedBytes() : ThreadResourceMeter.UNAVAILABLE,
              captureCpuTime ? meter.cpuTimeNanos() : ThreadResourceMeter.UNAVAILABLE);
    }
  }

  @Override
  public boolean isStartRequired() {
    return captureAllocations || captureCpuTime;
  }

  @Override
  public void onEnding(ReadWriteSpan span) {
    if (captureAllocations || captureCpuTime) {
      recordDeltas(span);
    }
    if (captureThreadName && span.getAttribute(THREAD_NAME) == null) {
      span.setAttribute(THREAD_NAME, Thread.currentThread().getName());
    }
  }

  private void recordDeltas(ReadWriteSpan span) {
    OpenSpanStack stack = openSpans.get();
    if (stack.remove(span)) {
      if (captureAllocations) {
        putDelta(span, SPAN_ALLOCATED_BYTES, stack.removedAllocatedBytes(), meter.allocatedBytes());
      }
      if (captureCpuTime) {
        putDelta(span, SPAN_CPU_TIME_NS, stack.removedCpuTimeNanos(), meter.cpuTimeNanos());
      }
    }
  }

  private static void putDelta(
      ReadWriteSpan span, AttributeKey<Long> key, long atStart, long atEnd) {
    if (atStart >= 0 && atEnd >= atStart) {
      span.setAttribute(key, atEnd - atStart);
    }
  }

  @Override
  public boolean isOnEndingRequired() {
    return captureAllocations || captureCpuTime || captureThreadName;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "SpanCaptureProcessor{allocations="
        + captureAllocations
        + ", cpuTime="
        + captureCpuTime
        + ", threadName="
        + captureThreadName
        + '}';
  }
}
