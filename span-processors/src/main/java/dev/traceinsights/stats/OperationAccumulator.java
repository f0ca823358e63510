package dev.traceinsights.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.internal.DurationSketches;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.annotation.Nullable;

/**
 * Everything recorded about one operation (or one overflow series): totals since creation, the
 * current and the previous fixed window, and how often its spans were bottlenecks. Guarded by the
 * statistics' lock.
 *
 * <p>Window {@code k} holds the spans recorded while {@code floorDiv(clock.nanoTime() - origin,
 * window)} was {@code k}. {@link #advanceTo} rotates lazily: the accumulator only looks at the
 * clock when it is recorded into or asked, and then {@code previous} is always window {@code k - 1}
 * (empty when nothing was recorded then) and {@code current} window {@code k}.
 */
final class OperationAccumulator {

  static final AttributeKey<String> SPAN_NAME = AttributeKey.stringKey("span.name");
  static final AttributeKey<String> SPAN_KIND = AttributeKey.stringKey("span.kind");

  private static final int CATEGORIES = BottleneckCategory.values().length;

  final OperationKey key;
  final boolean overflow;

  /** The metric attributes, built once: recording a span allocates none. */
  final Attributes attributes;

  long calls;
  long errors;
  long allocatedBytes;
  long allocationMeasuredCalls;
  // The durations of every completed window, merged in when a window completes: the current
  // window's sketch already takes each span, so the lifetime distribution costs nothing per span.
  // durations() adds the current window.
  private final DDSketch completedDurations = DurationSketches.create();
  final DDSketch selfTimes = DurationSketches.create();

  private WindowAccumulator current;
  private WindowAccumulator previous;
  private long currentWindow;

  // By BottleneckCategory ordinal; most operations never are a bottleneck.
  @Nullable long[] bottleneckCounts;
  @Nullable long[] bottleneckNanos;

  OperationAccumulator(OperationKey key, boolean overflow, long window, int sampleCapacity) {
    this.key = key;
    this.current = new WindowAccumulator(sampleCapacity);
    this.previous = new WindowAccumulator(sampleCapacity);
    this.overflow = overflow;
    this.attributes =
        Attributes.of(
            SPAN_NAME, key.spanName(), SPAN_KIND, key.kind().name().toLowerCase(Locale.ROOT));
    this.currentWindow = window;
  }

  /**
   * @param selfTimeNanos negative when unknown (unanalysed span)
   * @param allocatedBytes negative when not measured
   */
  void record(
      long window,
      long durationNanos,
      long selfTimeNanos,
      boolean error,
      long allocatedBytes,
      @Nullable String traceId,
      SplittableRandom random) {
    advanceTo(window);
    calls++;
    if (error) {
      errors++;
    }
    if (selfTimeNanos >= 0) {
      selfTimes.accept(selfTimeNanos);
    }
    if (allocatedBytes >= 0) {
      this.allocatedBytes += allocatedBytes;
      allocationMeasuredCalls++;
    }
    current.record(durationNanos, error, traceId, random);
  }

  void recordBottleneck(BottleneckCategory category, long criticalPathNanos) {
    if (bottleneckCounts == null) {
      bottleneckCounts = new long[CATEGORIES];
      bottleneckNanos = new long[CATEGORIES];
    }
    bottleneckCounts[category.ordinal()]++;
    bottleneckNanos[category.ordinal()] += criticalPathNanos;
  }

  /** Makes {@code window} the current window; windows only move forward. */
  void advanceTo(long window) {
    if (window <= currentWindow) {
      return;
    }
    // The previous window was merged when it completed; the current one completes now.
    completedDurations.mergeWith(current.durations);
    if (window == currentWindow + 1) {
      WindowAccumulator completed = current;
      current = previous;
      previous = completed;
      current.clear();
    } else {
      // Idle for a whole window or more: both are empty now.
      current.clear();
      previous.clear();
    }
    currentWindow = window;
  }

  /**
   * The window quantiles come from: the previous (completed) window when it has at least {@code
   * minCalls} calls, else the current one when it has, else null. Call {@link #advanceTo} first.
   */
  @Nullable
  WindowAccumulator quantileWindow(int minCalls) {
    if (previous.calls >= minCalls && previous.calls > 0) {
      return previous;
    }
    if (current.calls >= minCalls && current.calls > 0) {
      return current;
    }
    return null;
  }

  /**
   * Every duration recorded, as a new sketch: the completed windows' and the current one's. Call
   * {@link #advanceTo} first.
   */
  DDSketch durations() {
    DDSketch all = completedDurations.copy();
    all.mergeWith(current.durations);
    return all;
  }

  /** The completed window before the current one. Call {@link #advanceTo} first. */
  WindowAccumulator previous() {
    return previous;
  }

  /** Calls in the previous and the current window. Call {@link #advanceTo} first. */
  long recentCalls() {
    return previous.calls + current.calls;
  }

  /** Errors in the previous and the current window. Call {@link #advanceTo} first. */
  long recentErrors() {
    return previous.errors + current.errors;
  }

  @Override
  public String toString() {
    return "OperationAccumulator{key="
        + key
        + ", overflow="
        + overflow
        + ", calls="
        + calls
        + ", errors="
        + errors
        + '}';
  }
}
