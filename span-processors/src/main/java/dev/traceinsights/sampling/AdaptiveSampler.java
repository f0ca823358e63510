package dev.traceinsights.sampling;

import dev.traceinsights.internal.ThrottledLogger;
import dev.traceinsights.internal.TraceIdRatio;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples about a target number of traces per second for each root operation (the root span's name,
 * optionally with its kind), however busy the operation is: Jaeger's adaptive sampling, computed
 * inside the process instead of in a collector.
 *
 * <p><b>Decision.</b> A root span is sampled when the random lower 64 bits of its trace id, taken
 * as an absolute value, are below {@code p × Long.MAX_VALUE}, exactly as the SDK's {@code
 * traceIdRatioBased(p)} decides; so no random number generator is needed and the decisions nest
 * with those of ratio samplers elsewhere. A span with a remote parent follows the caller (sampled →
 * sampled, otherwise dropped); a span with a local parent follows it (sampled → sampled, only
 * recorded → record only, otherwise dropped). Neither counts as a root.
 *
 * <p><b>Calculation</b> (Jaeger's post-aggregator with its percentage-increase-capped calculator).
 * Every calculation interval, per operation, with {@code actual} = roots sampled by probability per
 * second during the interval:
 *
 * <ul>
 *   <li>|actual − target| ≤ tolerance × target: p unchanged (Jaeger uses {@code <});
 *   <li>otherwise p × target / actual, an increase capped at p × (1 + increaseCap);
 *   <li>actual = 0 although roots were seen: p × (1 + increaseCap). Jaeger doubles here, which with
 *       the 100% cap its post-aggregator configures is the same "increase by the cap";
 *   <li>no roots at all: p unchanged. There is nothing to learn from silence, and raising p over
 *       idle intervals would oversample the next burst;
 *   <li>the result clamped to [minProbability, maxProbability].
 * </ul>
 *
 * Rates are per the time actually elapsed (from the interval's start, or the operation's first root
 * if later), since a calculation runs only when a root arrives after the interval is over. Roots
 * sampled by the lower bound (below) are not counted, as in Jaeger, so they cannot hold p down.
 *
 * <p><b>Lower bound.</b> A root is also sampled when its operation has had no sampled root for
 * {@code 1 / lowerBoundSamplesPerSecond} seconds (default one minute), so rare operations are seen
 * at least that often; the first root of a new operation is always sampled. Cost: one timestamp per
 * operation, updated by compare-and-set.
 *
 * <p><b>Accuracy</b> (checked by {@code AdaptiveSamplerConvergenceTest}). For an operation with at
 * least 3× the target rate and {@code target × interval} ≥ 10 (as with the defaults), the sampled
 * rate averaged over 60 intervals after a warm-up of 30 is within ±10% of the target. A single
 * interval's count fluctuates by about ±1/√(target × interval). Operations slower than target × (1
 * − tolerance) are sampled completely; those within the band around the target may keep any p the
 * band allows (e.g. an operation at 1.2 × target stays at p = 1).
 *
 * <p><b>Cost.</b> Per root: a clock read, a {@link ConcurrentHashMap} lookup, a {@link LongAdder}
 * increment, the trace id comparison; a sampled root adds one more increment and a timestamp write.
 * A new operation's first root inserts it into the map, which may briefly lock one bin of it; that
 * happens at most maxOperations times in the sampler's life. The calculation runs on whichever
 * application thread first sees the interval over; others skip it (compare-and-set, nobody waits).
 * At most {@code maxOperations} operations are tracked, each about 200 bytes; roots of further
 * operations share one state, reported as {@link #OTHER_OPERATIONS} and counted by {@link
 * #otherOperationsRoots()}. Operations are never evicted. The sampler never throws: a failure drops
 * the span and is logged once.
 */
public final class AdaptiveSampler implements Sampler {

  /** The key under which {@link #probabilities()} reports operations beyond maxOperations. */
  public static final String OTHER_OPERATIONS = "(other operations)";

  private static final Logger logger = Logger.getLogger(AdaptiveSampler.class.getName());
  private static final double NANOS_PER_SECOND = 1e9;

  private final double targetSamplesPerSecond;
  private final double tolerance;
  private final double increaseCap;
  private final double minProbability;
  private final double maxProbability;
  private final double initialProbability;
  private final long intervalNanos;
  private final boolean lowerBoundEnabled;
  private final long lowerBoundPeriodNanos;
  private final int maxOperations;
  private final boolean keyBySpanKind;
  private final Clock clock;
  private final String description;

  // One map per span kind when keyed by kind, else a single map: lookups need no key object.
  private final List<ConcurrentHashMap<String, Operation>> operations;
  private final AtomicInteger trackedOperations = new AtomicInteger();
  private final Operation otherOperations;

  private final AtomicBoolean calculating = new AtomicBoolean();
  private volatile long nextCalculationNanos;
  private long intervalStartNanos; // guarded by calculating
  private final ThrottledLogger failures = ThrottledLogger.of(logger);

  AdaptiveSampler(
      double targetSamplesPerSecond,
      double tolerance,
      double increaseCap,
      double minProbability,
      double maxProbability,
      double initialProbability,
      Duration calculationInterval,
      double lowerBoundSamplesPerSecond,
      int maxOperations,
      boolean keyBySpanKind,
      Clock clock) {
    this.targetSamplesPerSecond = targetSamplesPerSecond;
    this.tolerance = tolerance;
    this.increaseCap = increaseCap;
    this.minProbability = minProbability;
    this.maxProbability = maxProbability;
    this.initialProbability = initialProbability;
    this.intervalNanos = calculationInterval.toNanos();
    this.lowerBoundEnabled = lowerBoundSamplesPerSecond > 0;
    this.lowerBoundPeriodNanos =
        lowerBoundEnabled ? (long) (NANOS_PER_SECOND / lowerBoundSamplesPerSecond) : 0;
    this.maxOperations = maxOperations;
    this.keyBySpanKind = keyBySpanKind;
    this.clock = clock;
    this.description =
        "AdaptiveSampler{targetSamplesPerSecond="
            + targetSamplesPerSecond
            + ", calculationInterval="
            + calculationInterval
            + ", tolerance="
            + tolerance
            + ", increaseCap="
            + increaseCap
            + ", probability=["
            + minProbability
            + ", "
            + maxProbability
            + "], initialProbability="
            + initialProbability
            + ", lowerBoundSamplesPerSecond="
            + lowerBoundSamplesPerSecond
            + ", maxOperations="
            + maxOperations
            + ", keyBySpanKind="
            + keyBySpanKind
            + "}";
    List<ConcurrentHashMap<String, Operation>> maps = new ArrayList<>();
    for (int i = 0; i < (keyBySpanKind ? SpanKind.values().length : 1); i++) {
      maps.add(new ConcurrentHashMap<>());
    }
    this.operations = List.copyOf(maps);
    long now = clock.nanoTime();
    this.intervalStartNanos = now;
    this.nextCalculationNanos = now + intervalNanos;
    this.otherOperations = new Operation(OTHER_OPERATIONS, now);
  }

  public static AdaptiveSamplerBuilder builder() {
    return new AdaptiveSamplerBuilder();
  }

  /** An adaptive sampler with the defaults of {@link AdaptiveSamplerBuilder}. */
  public static AdaptiveSampler create() {
    return builder().build();
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
      Span parent = Span.fromContext(parentContext);
      SpanContext parentSpanContext = parent.getSpanContext();
      if (parentSpanContext.isValid()) {
        return parentSpanContext.isRemote()
            ? ParentDecision.ofRemoteParent(parentSpanContext)
            : ParentDecision.ofLocalParent(parent);
      }
      long now = clock.nanoTime();
      if (now - nextCalculationNanos >= 0) {
        calculate(now);
      }
      Operation operation = operation(name, spanKind, now);
      operation.roots.increment();
      if (TraceIdRatio.includes(traceId, operation.idUpperBound)) {
        operation.sampled.increment();
        operation.lastSampledNanos.lazySet(now);
        return SamplingResult.recordAndSample();
      }
      if (lowerBoundEnabled) {
        long last = operation.lastSampledNanos.get();
        if (now - last >= lowerBoundPeriodNanos
            && operation.lastSampledNanos.compareAndSet(last, now)) {
          return SamplingResult.recordAndSample();
        }
      }
      return SamplingResult.drop();
    } catch (RuntimeException e) {
      failures.log(Level.WARNING, "Sampling failed, dropping the span: " + this, e);
      return SamplingResult.drop();
    }
  }

  private Operation operation(String name, SpanKind kind, long now) {
    ConcurrentHashMap<String, Operation> map = operations.get(keyBySpanKind ? kind.ordinal() : 0);
    Operation operation = map.get(name);
    return operation != null ? operation : track(map, name, kind, now);
  }

  // Reserves a slot before inserting, so the table never holds more than maxOperations and roots
  // of untracked operations never reach the map's write path once it is full.
  private Operation track(
      ConcurrentHashMap<String, Operation> map, String name, SpanKind kind, long now) {
    int tracked;
    do {
      tracked = trackedOperations.get();
      if (tracked >= maxOperations) {
        // The last slot may have gone to this very operation on another thread.
        Operation raced = map.get(name);
        return raced != null ? raced : otherOperations;
      }
    } while (!trackedOperations.compareAndSet(tracked, tracked + 1));
    Operation created = new Operation(keyBySpanKind ? name + " (" + kind + ")" : name, now);
    Operation existing = map.putIfAbsent(name, created);
    if (existing != null) {
      trackedOperations.decrementAndGet();
      return existing;
    }
    return created;
  }

  private void calculate(long now) {
    if (!calculating.compareAndSet(false, true)) {
      return;
    }
    try {
      if (now - nextCalculationNanos < 0) {
        return; // another thread has just done it
      }
      for (ConcurrentHashMap<String, Operation> map : operations) {
        for (Operation operation : map.values()) {
          update(operation, now);
        }
      }
      update(otherOperations, now);
      intervalStartNanos = now;
      nextCalculationNanos = now + intervalNanos;
    } finally {
      calculating.set(false);
    }
  }

  private void update(Operation operation, long now) {
    // Counters are cumulative; a root counted while we read lands in the next interval, none is
    // lost.
    long roots = operation.roots.sum();
    long sampled = operation.sampled.sum();
    long newRoots = roots - operation.rootsAtCalculation;
    long newSampled = sampled - operation.sampledAtCalculation;
    operation.rootsAtCalculation = roots;
    operation.sampledAtCalculation = sampled;
    long since =
        operation.createdNanos - intervalStartNanos > 0
            ? operation.createdNanos
            : intervalStartNanos;
    long elapsed = now - since;
    if (newRoots == 0 || elapsed <= 0) {
      return;
    }
    operation.setProbability(
        nextProbability(operation.probability, newSampled * NANOS_PER_SECOND / elapsed));
  }

  /** One step of Jaeger's calculation; see the class comment. */
  double nextProbability(double probability, double sampledPerSecond) {
    if (Math.abs(sampledPerSecond - targetSamplesPerSecond) <= tolerance * targetSamplesPerSecond) {
      return probability;
    }
    double capped = probability * (1 + increaseCap);
    double next =
        sampledPerSecond == 0
            ? capped
            : Math.min(probability * targetSamplesPerSecond / sampledPerSecond, capped);
    return Math.min(maxProbability, Math.max(minProbability, next));
  }

  /**
   * The current probability per operation: the span name, or {@code name (KIND)} when keyed by
   * kind, plus {@link #OTHER_OPERATIONS} once operations beyond maxOperations were seen. A
   * snapshot, sorted by operation.
   */
  public Map<String, Double> probabilities() {
    Map<String, Double> probabilities = new TreeMap<>();
    for (ConcurrentHashMap<String, Operation> map : operations) {
      for (Operation operation : map.values()) {
        probabilities.put(operation.name, operation.probability);
      }
    }
    if (otherOperationsRoots() > 0) {
      probabilities.put(OTHER_OPERATIONS, otherOperations.probability);
    }
    return Collections.unmodifiableMap(probabilities);
  }

  /** Roots so far that belonged to operations beyond maxOperations and shared one state. */
  public long otherOperationsRoots() {
    return otherOperations.roots.sum();
  }

  @Override
  public String getDescription() {
    return description;
  }

  @Override
  public String toString() {
    return description.substring(0, description.length() - 1)
        + ", trackedOperations="
        + trackedOperations.get()
        + ", otherOperationsRoots="
        + otherOperationsRoots()
        + "}";
  }

  /** What is kept per operation. */
  private final class Operation {

    final String name;
    final long createdNanos;
    final LongAdder roots = new LongAdder();
    // Roots sampled by probability only, as Jaeger counts them: not those of the lower bound.
    final LongAdder sampled = new LongAdder();
    final AtomicLong lastSampledNanos;
    volatile double probability;
    volatile long idUpperBound;
    // Guarded by calculating.
    long rootsAtCalculation;
    long sampledAtCalculation;

    Operation(String name, long now) {
      this.name = name;
      this.createdNanos = now;
      // Open the lower bound at once: the first root of a new operation is always sampled.
      this.lastSampledNanos = new AtomicLong(now - lowerBoundPeriodNanos);
      setProbability(initialProbability);
    }

    void setProbability(double probability) {
      this.probability = probability;
      this.idUpperBound = TraceIdRatio.upperBound(probability);
    }
  }
}
