package dev.traceinsights.stats;

import static java.util.Objects.requireNonNull;

import com.datadoghq.sketch.ddsketch.DDSketch;
import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.semconv.InsightAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Live statistics per operation ({@link OperationKey}: service, span name, kind), fed with analysed
 * local traces and unanalysed spans, read as a {@link #snapshot()} and exported as OpenTelemetry
 * metrics.
 *
 * <h2>What is kept</h2>
 *
 * Per operation since creation: calls, errors (status ERROR or an {@code exception} event, as the
 * analysis decides), the duration distribution, the self-time distribution (analysed spans only),
 * the sum of allocated bytes where measured, and how often its spans were the bottleneck of their
 * trace, per category. Across operations: error patterns by fingerprint (bounded, least recently
 * seen dropped first) and the recent trace analyses by trace id (bounded by age, count and
 * estimated size, oldest evicted first).
 *
 * <p>Distributions are DDSketches: every quantile is within 1 % (relative) of the exact sample of
 * rank {@code floor(q * (n - 1))}, for values within 8.8 decades of the largest one recorded (see
 * {@code DurationSketches}).
 *
 * <h2>Windows</h2>
 *
 * Time is cut into fixed windows of {@code window} (default 60 s) from creation, on {@code
 * clock.nanoTime()}. Each operation has a current window (the one the clock is in) and a previous
 * one (the window just before it, empty if the operation had no calls then), each with calls,
 * errors and a duration sketch. They rotate when a record or a query finds the clock past the
 * current window's end; the two accumulators are reused.
 *
 * <ul>
 *   <li>{@link #durationQuantileNanos} takes the previous window if it has at least {@code
 *       minCallsForQuantile} calls (default 50), else the current window if it has, else returns
 *       NaN.
 *   <li>{@link #recentCalls} is previous plus current window calls.
 * </ul>
 *
 * <h2>Health</h2>
 *
 * The worse of two judgements. Latency: the p95 {@link #durationQuantileNanos} would return is
 * WARNING from the slow threshold (default 1 s) and CRITICAL from the critical one (default 5 s),
 * HEALTHY below or when there are too few calls. Errors: the error rate over the previous and
 * current window is WARNING from 10 % and CRITICAL from 20 % (defaults), counted only from 20
 * recent calls (default). Thresholds are inclusive; a p95 within 1 % of a threshold may fall either
 * side of it.
 *
 * <h2>Bounds and memory</h2>
 *
 * At most {@code maxOperations} operations (default 1000), first come first served; spans of any
 * further operation go to one overflow series per service and kind (span name {@code _OTHER}),
 * flagged in the snapshot and counted. An operation holds four sketches (duration and self time
 * since creation, durations of the current and previous window), each at most 8 KiB of bins plus
 * about 150 bytes, and about 500 bytes of counters, key and metric attributes: at most 34 KiB per
 * operation, about 13 KiB when durations spread over 3 decades. 1000 operations: 34 MB at worst,
 * about 13 MB typically.
 *
 * <h2>Threads</h2>
 *
 * {@link #recordTrace} must be called from one thread only (the analysis thread: it reuses a
 * per-trace array); {@link #recordUnanalyzed}, {@link #durationQuantileNanos} and {@link
 * #recentCalls} are meant for that thread too but are safe from any. {@link #snapshot}, {@link
 * #recentTraces} and {@link #registerMetrics} may be called from any thread. All state is guarded
 * by one lock, which the writer holds for one trace at a time and readers for one operation at a
 * time; metrics are recorded after the lock is released.
 *
 * <h2>Metrics</h2>
 *
 * Through {@link #registerMetrics} (instrumentation scope {@code dev.traceinsights}), with the
 * attributes {@code span.name} ({@code _OTHER} for an overflow series) and {@code span.kind}
 * (lowercase): the histograms {@code traceinsights.operation.duration} and {@code
 * traceinsights.operation.self_time} (s), the counters {@code traceinsights.operation.calls}
 * ({call}), {@code traceinsights.operation.errors} ({error}) and {@code
 * traceinsights.operation.allocation} (By), and the gauge {@code traceinsights.operation.health} (0
 * healthy, 1 warning, 2 critical). {@code service.name} is not an attribute: the MeterProvider's
 * resource carries it. The histograms are recorded per span from registration on; the counters and
 * the gauge are observed from the statistics' totals at collection, so they count every span since
 * the statistics were built, and cost nothing per span.
 */
public final class LiveStatistics {

  private static final Logger logger = Logger.getLogger(LiveStatistics.class.getName());

  private static final double[] DURATION_QUANTILES = {0.5, 0.9, 0.95, 0.99};
  private static final double[] SELF_TIME_QUANTILES = {0.5, 0.99};
  private static final double HEALTH_QUANTILE = 0.95;

  private static final Comparator<OperationKey> KEY_ORDER =
      Comparator.comparing((OperationKey key) -> key.serviceName())
          .thenComparing(OperationKey::spanName)
          .thenComparing(OperationKey::kind);

  private final Clock clock;
  private final long originNanos;
  private final long originEpochNanos;
  private final long windowNanos;
  private final int minCallsForQuantile;
  private final long slowNanos;
  private final long criticalLatencyNanos;
  private final double errorRateWarning;
  private final double errorRateCritical;
  private final int minCallsForErrorRate;
  private final int topBottlenecks;
  private final String settings;

  private final Object lock = new Object();
  // Guarded by lock.
  private final OperationTable operations;
  private final ErrorPatterns errorPatterns;
  private final RecentAnalyses recent;
  private long analyzedTraces;
  private long recordedSpans;
  private long unanalyzedSpans;
  // Reservoir sampling; seeded so that a run can be replayed in tests.
  private final SplittableRandom random;

  // Writer thread only: the accumulator of each span of the trace being recorded.
  private OperationAccumulator[] spanOperations = new OperationAccumulator[64];

  private final AtomicBoolean metricsRegistered = new AtomicBoolean();
  @Nullable private volatile OperationMetrics metrics;

  LiveStatistics(LiveStatisticsBuilder builder) {
    this.clock = builder.clock;
    this.originNanos = clock.nanoTime();
    this.originEpochNanos = clock.now();
    this.windowNanos = builder.window.toNanos();
    this.minCallsForQuantile = builder.minCallsForQuantile;
    this.slowNanos = builder.slowThreshold.toNanos();
    this.criticalLatencyNanos = builder.criticalLatencyThreshold.toNanos();
    this.errorRateWarning = builder.errorRateWarning;
    this.errorRateCritical = builder.errorRateCritical;
    this.minCallsForErrorRate = builder.minCallsForErrorRate;
    this.topBottlenecks = builder.topBottlenecks;
    this.random = new SplittableRandom(builder.seed);
    this.operations = new OperationTable(builder.maxOperations, builder.samplesPerWindow);
    this.errorPatterns = new ErrorPatterns(builder.maxErrorPatterns);
    this.recent =
        new RecentAnalyses(
            builder.recentTraceTtl.toNanos(), builder.maxRecentTraces, builder.maxRecentTraceBytes);
    this.settings =
        "window="
            + builder.window
            + ", minCallsForQuantile="
            + minCallsForQuantile
            + ", maxOperations="
            + builder.maxOperations
            + ", latencyThresholds="
            + builder.slowThreshold
            + "/"
            + builder.criticalLatencyThreshold
            + ", errorRateThresholds="
            + errorRateWarning
            + "/"
            + errorRateCritical
            + ", minCallsForErrorRate="
            + minCallsForErrorRate
            + ", topBottlenecks="
            + topBottlenecks
            + ", samplesPerWindow="
            + builder.samplesPerWindow
            + ", maxErrorPatterns="
            + builder.maxErrorPatterns
            + ", recentTraces="
            + builder.recentTraceTtl
            + "/"
            + builder.maxRecentTraces
            + "/"
            + builder.maxRecentTraceBytes
            + "B";
  }

  public static LiveStatisticsBuilder builder() {
    return new LiveStatisticsBuilder();
  }

  /**
   * Records an analysed local trace: each span in its operation, its bottlenecks, its error
   * patterns, and the analysis itself for {@link #recentTraces}. Writer thread only.
   *
   * @param spans the trace's spans; {@code spans.get(i)} corresponds to {@code
   *     analysis.spans().get(i)}
   * @throws IllegalArgumentException when the two lists differ in size
   */
  public void recordTrace(TraceAnalysis analysis, List<SpanData> spans) {
    requireNonNull(analysis, "analysis");
    requireNonNull(spans, "spans");
    List<SpanAnalysis> analysed = analysis.spans();
    int n = analysed.size();
    if (spans.size() != n) {
      throw new IllegalArgumentException("spans must correspond one to one to analysis.spans()");
    }
    long nanoTime = clock.nanoTime();
    long epochNanos = clock.now();
    long window = windowOf(nanoTime);
    long retainedBytes = recent.enabled() ? TraceAnalysisSizeEstimator.estimate(analysis) : 0;
    if (spanOperations.length < n) {
      spanOperations = new OperationAccumulator[Math.max(n, 2 * spanOperations.length)];
    }
    OperationAccumulator[] spanOperations = this.spanOperations;
    List<Bottleneck> bottlenecks = analysis.bottlenecks();
    // All bottlenecks share the largest critical-path time: only spans with it need a look.
    long bottleneckNanos = bottlenecks.isEmpty() ? -1 : bottlenecks.get(0).criticalPathNanos();
    synchronized (lock) {
      for (int i = 0; i < n; i++) {
        SpanAnalysis span = analysed.get(i);
        SpanData data = spans.get(i);
        OperationAccumulator operation = operations.forSpan(data, window);
        operation.record(
            window,
            durationOf(span),
            span.selfTimeNanos(),
            span.error(),
            span.allocatedBytes(),
            data.getTraceId(),
            random);
        if (span.criticalPathNanos() == bottleneckNanos) {
          recordBottleneck(operation, span, bottlenecks);
        }
        spanOperations[i] = operation;
      }
      errorPatterns.record(analysis, spans, spanOperations, epochNanos);
      recent.add(analysis, retainedBytes, nanoTime);
      analyzedTraces++;
      recordedSpans += n;
    }
    OperationMetrics metrics = this.metrics;
    if (metrics != null) {
      for (int i = 0; i < n; i++) {
        SpanAnalysis span = analysed.get(i);
        metrics.record(spanOperations[i], durationOf(span), span.selfTimeNanos());
      }
    }
  }

  /**
   * Records a span that was not analysed (buffer overflow, timeout, late, ...): its duration, error
   * and allocated bytes ({@code traceinsights.span.allocated_bytes}), no self time. Meant for the
   * analysis thread; thread-safe.
   */
  public void recordUnanalyzed(SpanData span) {
    requireNonNull(span, "span");
    long duration = Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos());
    boolean error = isError(span);
    Long measured = span.getAttributes().get(InsightAttributes.SPAN_ALLOCATED_BYTES);
    long allocatedBytes = measured == null ? -1 : measured;
    long window = windowOf(clock.nanoTime());
    OperationAccumulator operation;
    synchronized (lock) {
      operation = operations.forSpan(span, window);
      operation.record(window, duration, -1, error, allocatedBytes, span.getTraceId(), random);
      unanalyzedSpans++;
      recordedSpans++;
    }
    OperationMetrics metrics = this.metrics;
    if (metrics != null) {
      metrics.record(operation, duration, -1);
    }
  }

  /**
   * The {@code quantile} of the operation's duration in nanoseconds over the recent window: the
   * previous window if it has at least {@code minCallsForQuantile} calls, else the current one if
   * it has, else NaN. An operation beyond the cardinality bound answers from its overflow series;
   * an operation never recorded answers NaN. Meant for the analysis thread; thread-safe.
   *
   * @param quantile between 0 and 1
   */
  public double durationQuantileNanos(OperationKey operation, double quantile) {
    requireNonNull(operation, "operation");
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be between 0 and 1");
    }
    long window = windowOf(clock.nanoTime());
    synchronized (lock) {
      OperationAccumulator accumulator = operations.find(operation);
      if (accumulator == null) {
        return Double.NaN;
      }
      accumulator.advanceTo(window);
      WindowAccumulator recentWindow = accumulator.quantileWindow(minCallsForQuantile);
      return recentWindow == null ? Double.NaN : recentWindow.quantile(quantile);
    }
  }

  /**
   * Calls of the operation in the previous and the current window; answered from the overflow
   * series for an operation beyond the cardinality bound, 0 for one never recorded. Meant for the
   * analysis thread; thread-safe.
   */
  public long recentCalls(OperationKey operation) {
    requireNonNull(operation, "operation");
    long window = windowOf(clock.nanoTime());
    synchronized (lock) {
      OperationAccumulator accumulator = operations.find(operation);
      if (accumulator == null) {
        return 0;
      }
      accumulator.advanceTo(window);
      return accumulator.recentCalls();
    }
  }

  /** The length of the statistics windows. */
  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  /**
   * The number of the most recently completed window (-1 before the first one ends): cheap, to
   * learn whether {@link #completedWindow()} has something new.
   */
  public long completedWindowIndex() {
    return windowOf(clock.nanoTime()) - 1;
  }

  /**
   * The most recently completed window (the one before the window the clock is in) of every
   * operation that had calls in it, with a uniform sample of its durations (at most {@code
   * samplesPerWindow}) and its slowest traces: what detection compares with a baseline. Asking
   * twice within one window returns the same window. Any thread; holds the lock one operation at a
   * time.
   */
  public CompletedWindow completedWindow() {
    long window = windowOf(clock.nanoTime());
    long completed = window - 1;
    long start = originEpochNanos + completed * windowNanos;
    long end = start + windowNanos;
    OperationAccumulator[] all;
    synchronized (lock) {
      all = operations.all();
    }
    List<OperationWindow> rows = new ArrayList<>();
    for (OperationAccumulator operation : all) {
      synchronized (lock) {
        operation.advanceTo(window);
        WindowAccumulator previous = operation.previous();
        if (previous.calls > 0) {
          rows.add(
              new OperationWindow(
                  operation.key,
                  operation.overflow,
                  start,
                  end,
                  previous.calls,
                  previous.errors,
                  previous.sample.sampleCopy(),
                  previous.sample.slowestTraceIds()));
        }
      }
    }
    return new CompletedWindow(completed, start, end, rows);
  }

  /** The error patterns, most recently seen first; cheaper than a {@link #snapshot()}. */
  public List<ErrorPattern> errorPatterns() {
    synchronized (lock) {
      return errorPatterns.snapshot();
    }
  }

  /** What the statistics hold now. Any thread. */
  public StatisticsSnapshot snapshot() {
    long nanoTime = clock.nanoTime();
    long epochNanos = clock.now();
    long window = windowOf(nanoTime);
    OperationAccumulator[] all;
    List<ErrorPattern> patterns;
    long analyzedTraces;
    long recordedSpans;
    long unanalyzedSpans;
    long overflowSpans;
    long patternsDropped;
    int recentTraces;
    long recentTraceBytes;
    Map<EvictionReason, Long> evicted;
    synchronized (lock) {
      all = operations.all();
      patterns = errorPatterns.snapshot();
      analyzedTraces = this.analyzedTraces;
      recordedSpans = this.recordedSpans;
      unanalyzedSpans = this.unanalyzedSpans;
      overflowSpans = operations.overflowSpans();
      patternsDropped = errorPatterns.dropped();
      recent.expire(nanoTime);
      recentTraces = recent.size();
      recentTraceBytes = recent.bytes();
      evicted = recent.evicted();
    }
    List<OperationStatistics> rows = new ArrayList<>(all.length);
    List<BottleneckStatistics> bottlenecks = new ArrayList<>();
    // One operation at a time, so that the writer never waits for the whole table.
    for (OperationAccumulator operation : all) {
      synchronized (lock) {
        rows.add(statistics(operation, window));
        addBottlenecks(operation, bottlenecks);
      }
    }
    rows.sort(
        Comparator.comparingLong(OperationStatistics::calls)
            .reversed()
            .thenComparing(OperationStatistics::operation, KEY_ORDER));
    bottlenecks.sort(
        Comparator.comparingLong(BottleneckStatistics::totalCriticalPathNanos)
            .reversed()
            .thenComparing(Comparator.comparingLong(BottleneckStatistics::count).reversed())
            .thenComparing(BottleneckStatistics::operation, KEY_ORDER)
            .thenComparing(BottleneckStatistics::category));
    return new StatisticsSnapshot(
        epochNanos,
        rows,
        bottlenecks.subList(0, Math.min(topBottlenecks, bottlenecks.size())),
        patterns,
        analyzedTraces,
        recordedSpans,
        unanalyzedSpans,
        overflowSpans,
        patternsDropped,
        recentTraces,
        recentTraceBytes,
        evicted);
  }

  /**
   * The retained analyses of the local traces of {@code traceId}, oldest first; empty when none is
   * retained (never recorded, or evicted). Any thread.
   */
  public List<TraceAnalysis> recentTraces(String traceId) {
    requireNonNull(traceId, "traceId");
    long nanoTime = clock.nanoTime();
    synchronized (lock) {
      recent.expire(nanoTime);
      return recent.get(traceId);
    }
  }

  /**
   * Starts exporting the metrics listed in the class documentation through {@code meterProvider}.
   * Spans recorded before are not replayed into the histograms (the counters are totals and include
   * them). Only the first call takes effect; later ones log a warning. Any thread.
   */
  public void registerMetrics(MeterProvider meterProvider) {
    requireNonNull(meterProvider, "meterProvider");
    if (!metricsRegistered.compareAndSet(false, true)) {
      logger.warning(
          "Trace Insights live statistics: registerMetrics called again; only the first"
              + " MeterProvider is used");
      return;
    }
    metrics = new OperationMetrics(meterProvider, this::observeHealth, this::observeTotals);
  }

  /** Tracked operations, overflow series not included; for tests. */
  int operationCount() {
    synchronized (lock) {
      return operations.operationCount();
    }
  }

  /** Runs on the metric reader's thread. */
  private void observeHealth(ObservableLongMeasurement measurement) {
    long window = windowOf(clock.nanoTime());
    OperationAccumulator[] all;
    synchronized (lock) {
      all = operations.all();
    }
    // Operations of different services share attributes (service.name is on the resource): one
    // point per attribute set, the worst of them.
    Map<Attributes, Health> byAttributes = new HashMap<>();
    for (OperationAccumulator operation : all) {
      Health health;
      synchronized (lock) {
        operation.advanceTo(window);
        health = health(operation);
      }
      byAttributes.merge(operation.attributes, health, Health::worse);
    }
    byAttributes.forEach(
        (attributes, health) -> measurement.record(health.gaugeValue(), attributes));
  }

  /**
   * Runs on the metric reader's thread: each attribute set's lifetime calls, errors and (where
   * measured) allocated bytes, summed over the operations that share it (several services).
   */
  private void observeTotals(
      ObservableLongMeasurement calls,
      ObservableLongMeasurement errors,
      ObservableLongMeasurement allocation) {
    Map<Attributes, long[]> byAttributes = new HashMap<>();
    synchronized (lock) {
      for (OperationAccumulator operation : operations.all()) {
        long[] totals = byAttributes.computeIfAbsent(operation.attributes, a -> new long[4]);
        totals[0] += operation.calls;
        totals[1] += operation.errors;
        totals[2] += operation.allocatedBytes;
        totals[3] += operation.allocationMeasuredCalls;
      }
    }
    byAttributes.forEach(
        (attributes, totals) -> {
          calls.record(totals[0], attributes);
          errors.record(totals[1], attributes);
          if (totals[3] > 0) {
            allocation.record(totals[2], attributes);
          }
        });
  }

  /** The row of {@code operation}; under the lock. */
  private OperationStatistics statistics(OperationAccumulator operation, long window) {
    operation.advanceTo(window);
    double[] durations = quantiles(operation.durations(), DURATION_QUANTILES);
    double[] selfTimes = quantiles(operation.selfTimes, SELF_TIME_QUANTILES);
    return new OperationStatistics(
        operation.key,
        operation.overflow,
        operation.calls,
        operation.errors,
        durations[0],
        durations[1],
        durations[2],
        durations[3],
        selfTimes[0],
        selfTimes[1],
        operation.allocatedBytes,
        operation.allocationMeasuredCalls,
        health(operation),
        operation.recentCalls(),
        operation.recentErrors(),
        recentP95(operation));
  }

  /** Under the lock, after {@link OperationAccumulator#advanceTo}. */
  private Health health(OperationAccumulator operation) {
    double p95 = recentP95(operation);
    // NaN (too few calls) compares false: healthy.
    Health latency =
        p95 >= criticalLatencyNanos
            ? Health.CRITICAL
            : p95 >= slowNanos ? Health.WARNING : Health.HEALTHY;
    long calls = operation.recentCalls();
    Health errors = Health.HEALTHY;
    if (calls >= minCallsForErrorRate) {
      // Division is correctly rounded, so a rate exactly at a threshold compares equal to it.
      double rate = (double) operation.recentErrors() / calls;
      errors =
          rate >= errorRateCritical
              ? Health.CRITICAL
              : rate >= errorRateWarning ? Health.WARNING : Health.HEALTHY;
    }
    return latency.worse(errors);
  }

  private double recentP95(OperationAccumulator operation) {
    WindowAccumulator recentWindow = operation.quantileWindow(minCallsForQuantile);
    return recentWindow == null ? Double.NaN : recentWindow.quantile(HEALTH_QUANTILE);
  }

  private static double[] quantiles(DDSketch sketch, double[] quantiles) {
    if (sketch.isEmpty()) {
      double[] none = new double[quantiles.length];
      Arrays.fill(none, Double.NaN);
      return none;
    }
    return sketch.getValuesAtQuantiles(quantiles);
  }

  private static void addBottlenecks(
      OperationAccumulator operation, List<BottleneckStatistics> bottlenecks) {
    long[] counts = operation.bottleneckCounts;
    long[] nanos = operation.bottleneckNanos;
    if (counts == null || nanos == null) {
      return;
    }
    for (BottleneckCategory category : BottleneckCategory.values()) {
      long count = counts[category.ordinal()];
      if (count > 0) {
        bottlenecks.add(
            new BottleneckStatistics(
                operation.key, operation.overflow, category, count, nanos[category.ordinal()]));
      }
    }
  }

  private static void recordBottleneck(
      OperationAccumulator operation, SpanAnalysis span, List<Bottleneck> bottlenecks) {
    for (int b = 0; b < bottlenecks.size(); b++) {
      Bottleneck bottleneck = bottlenecks.get(b);
      if (bottleneck.spanId().equals(span.spanId())) {
        operation.recordBottleneck(bottleneck.category(), bottleneck.criticalPathNanos());
        return;
      }
    }
  }

  private static long durationOf(SpanAnalysis span) {
    return Math.max(0, span.durationNanos());
  }

  /** As the analysis decides for analysed spans: status ERROR or an {@code exception} event. */
  static boolean isError(SpanData span) {
    if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
      return true;
    }
    List<EventData> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      if (ErrorPatterns.EXCEPTION_EVENT_NAME.equals(events.get(i).getName())) {
        return true;
      }
    }
    return false;
  }

  private long windowOf(long nanoTime) {
    return Math.floorDiv(nanoTime - originNanos, windowNanos);
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "LiveStatistics{"
          + settings
          + ", "
          + operations
          + ", "
          + errorPatterns
          + ", "
          + recent
          + ", analyzedTraces="
          + analyzedTraces
          + ", recordedSpans="
          + recordedSpans
          + ", metrics="
          + (metrics != null)
          + '}';
    }
  }
}
