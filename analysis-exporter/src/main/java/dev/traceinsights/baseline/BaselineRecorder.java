package dev.traceinsights.baseline;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.internal.DurationSample;
import dev.traceinsights.stats.OperationKey;
import dev.traceinsights.stats.OperationWindow;
import io.opentelemetry.sdk.common.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import javax.annotation.Nullable;

/**
 * Accumulates a {@link Baseline} from single calls ({@link #record}) or completed statistics
 * windows ({@link #recordWindow}), in any mix.
 *
 * <p>Per operation it keeps the call and error counts, a {@link DurationSketch} of all durations, a
 * sample of at most {@link BaselineRecorderBuilder#setSampleCapacity capacity} durations in which
 * every recorded call has the same probability to be (see {@code DurationSample} for how a window's
 * sample is merged: in proportion to its calls), and the trace ids of the three slowest calls.
 * Memory is bounded: at most {@link BaselineRecorderBuilder#setMaxOperations maxOperations}
 * operations (further ones are counted in {@link #droppedOperations()}) of at most 8 KiB of sketch
 * and {@code 8 * capacity} bytes of sample each.
 *
 * <p>Given a seeded random generator, the same calls in the same order give the same baseline.
 *
 * <p>Not thread-safe: one thread records and builds (the detection thread, or the command line).
 */
public final class BaselineRecorder {

  private static final int SLOWEST = 3;

  private final int maxOperations;
  private final int sampleCapacity;
  private final int maxErrorFingerprints;
  private final RandomGenerator random;
  private final String source;
  private final Clock clock;

  private final Map<OperationKey, OperationRecord> operations = new LinkedHashMap<>();
  private final Set<String> errorFingerprints = new LinkedHashSet<>();
  private long droppedOperations;
  private long droppedErrorFingerprints;

  BaselineRecorder(BaselineRecorderBuilder builder) {
    this.maxOperations = builder.maxOperations;
    this.sampleCapacity = builder.sampleCapacity;
    this.maxErrorFingerprints = builder.maxErrorFingerprints;
    this.random = builder.random;
    this.source = builder.source;
    this.clock = builder.clock;
  }

  public static BaselineRecorderBuilder builder() {
    return new BaselineRecorderBuilder();
  }

  /** A recorder with the defaults and an unseeded random generator. */
  public static BaselineRecorder create() {
    return builder().build();
  }

  /**
   * Records one call.
   *
   * @param traceId the call's trace id, a candidate example of a slow call; null when unknown
   */
  public void record(
      OperationKey operation, long durationNanos, boolean error, @Nullable String traceId) {
    requireNonNull(operation, "operation");
    if (durationNanos < 0) {
      throw new IllegalArgumentException(
          "durationNanos must be non-negative, was " + durationNanos);
    }
    OperationRecord record = recordFor(operation);
    if (record == null) {
      return;
    }
    record.calls++;
    if (error) {
      record.errors++;
    }
    record.sketch.add(durationNanos, 1);
    record.sample.add(durationNanos, random);
    if (traceId != null) {
      record.offerSlow(durationNanos, traceId);
    }
  }

  /**
   * Records a completed window of one operation: its counts, and its sample both into the sample
   * (in proportion to the window's calls) and into the sketch (each sampled duration weighted
   * {@code calls / sampleSize}, so that the sketch's count is the calls). An overflow window mixes
   * many operations and is not recorded; nor is a window without calls.
   *
   * <p>The window's slowest trace ids come without their durations: they are ranked by the window's
   * largest sampled duration, a lower bound of their own.
   */
  public void recordWindow(OperationWindow window) {
    requireNonNull(window, "window");
    if (window.overflow() || window.calls() == 0) {
      return;
    }
    OperationRecord record = recordFor(window.operation());
    if (record == null) {
      return;
    }
    long[] sample = window.sampledDurationsNanos();
    record.calls += window.calls();
    record.errors += window.errors();
    long largest = 0;
    if (sample.length > 0) {
      double weight = (double) window.calls() / sample.length;
      for (long duration : sample) {
        record.sketch.add(Math.max(0, duration), weight);
        largest = Math.max(largest, duration);
      }
      record.sample.addSample(sample, window.calls(), random);
    }
    for (String traceId : window.slowestTraceIds()) {
      record.offerSlow(largest, traceId);
    }
  }

  /** Records an error fingerprint as known. */
  public void recordErrorFingerprint(String fingerprint) {
    requireNonNull(fingerprint, "fingerprint");
    if (errorFingerprints.contains(fingerprint)) {
      return;
    }
    if (errorFingerprints.size() >= maxErrorFingerprints) {
      droppedErrorFingerprints++;
      return;
    }
    errorFingerprints.add(fingerprint);
  }

  /** The baseline of everything recorded so far; recording may go on. */
  public Baseline build() {
    Map<OperationKey, OperationBaseline> baselines = new LinkedHashMap<>();
    for (Map.Entry<OperationKey, OperationRecord> entry : operations.entrySet()) {
      OperationRecord record = entry.getValue();
      DurationSketch sketch = record.sketch.toSketch();
      if (sketch.isEmpty()) {
        continue; // only windows without samples: no durations to compare with
      }
      baselines.put(
          entry.getKey(),
          new OperationBaseline(
              entry.getKey(),
              record.calls,
              record.errors,
              sketch,
              record.sample.toArray(),
              record.slowestTraceIds()));
    }
    return new Baseline(baselines, errorFingerprints, clock.now(), source, droppedOperations);
  }

  /** Operations recorded so far. */
  public int operationCount() {
    return operations.size();
  }

  /** Calls and windows of operations beyond the maximum, not recorded. */
  public long droppedOperations() {
    return droppedOperations;
  }

  /** Error fingerprints beyond the maximum, not recorded. */
  public long droppedErrorFingerprints() {
    return droppedErrorFingerprints;
  }

  @Nullable
  private OperationRecord recordFor(OperationKey operation) {
    OperationRecord record = operations.get(operation);
    if (record == null) {
      if (operations.size() >= maxOperations) {
        droppedOperations++;
        return null;
      }
      record = new OperationRecord(new DurationSample(sampleCapacity));
      operations.put(operation, record);
    }
    return record;
  }

  @Override
  public String toString() {
    return "BaselineRecorder{operations="
        + operations.size()
        + ", maxOperations="
        + maxOperations
        + ", sampleCapacity="
        + sampleCapacity
        + ", droppedOperations="
        + droppedOperations
        + ", errorFingerprints="
        + errorFingerprints.size()
        + ", source="
        + source
        + '}';
  }

  private static final class OperationRecord {
    long calls;
    long errors;
    final DurationSketch.Accumulator sketch = new DurationSketch.Accumulator();
    final DurationSample sample;
    // The slowest calls with a trace id, slowest first; ties keep the earlier one first.
    final long[] slowDurations = new long[SLOWEST];
    final String[] slowTraceIds = new String[SLOWEST];
    int slowCount;

    OperationRecord(DurationSample sample) {
      this.sample = sample;
    }

    void offerSlow(long durationNanos, String traceId) {
      for (int i = 0; i < slowCount; i++) {
        if (slowTraceIds[i].equals(traceId)) { // one trace, one example: its slowest call
          if (slowDurations[i] >= durationNanos) {
            return;
          }
          System.arraycopy(slowDurations, i + 1, slowDurations, i, slowCount - i - 1);
          System.arraycopy(slowTraceIds, i + 1, slowTraceIds, i, slowCount - i - 1);
          slowCount--;
          break;
        }
      }
      int position = slowCount;
      while (position > 0 && slowDurations[position - 1] < durationNanos) {
        position--;
      }
      if (position >= SLOWEST) {
        return;
      }
      int last = Math.min(slowCount, SLOWEST - 1);
      for (int i = last; i > position; i--) {
        slowDurations[i] = slowDurations[i - 1];
        slowTraceIds[i] = slowTraceIds[i - 1];
      }
      slowDurations[position] = durationNanos;
      slowTraceIds[position] = traceId;
      slowCount = Math.min(slowCount + 1, SLOWEST);
    }

    List<String> slowestTraceIds() {
      List<String> ids = new ArrayList<>(slowCount);
      for (int i = 0; i < slowCount; i++) {
        ids.add(slowTraceIds[i]);
      }
      return ids;
    }
  }
}
