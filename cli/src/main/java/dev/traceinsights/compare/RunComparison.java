package dev.traceinsights.compare;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.detection.DetectionResult;
import dev.traceinsights.detection.RegressionDetector;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.OperationKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;

/**
 * A run compared with a baseline: what {@code trace-insights compare} reports.
 *
 * @param baseline the reference
 * @param run the run, as a baseline of its spans
 * @param detection regressions and improvements, and what was skipped
 * @param baselineBottlenecks the baseline's bottleneck shares; null when the baseline is a file,
 *     which keeps no traces
 * @param runBottlenecks the run's bottleneck shares
 * @param newBottlenecks operations that became a bottleneck; empty when not compared
 * @param newOperations operations of the run without a baseline, sorted
 * @param vanishedOperations operations of the baseline absent from the run, sorted
 */
public record RunComparison(
    Baseline baseline,
    Baseline run,
    DetectionResult detection,
    @Nullable BottleneckShares baselineBottlenecks,
    BottleneckShares runBottlenecks,
    List<NewBottleneck> newBottlenecks,
    List<OperationKey> newOperations,
    List<OperationKey> vanishedOperations) {

  /** A new bottleneck holds in at least this share of the run's traces ... */
  public static final double MIN_BOTTLENECK_SHARE = 0.10;

  /** ... and in less than this fraction of that share of the baseline's. */
  public static final double BASELINE_SHARE_FRACTION = 0.5;

  static final Comparator<OperationKey> OPERATION_ORDER =
      Comparator.comparing(OperationKey::serviceName)
          .thenComparing(OperationKey::spanName)
          .thenComparing(OperationKey::kind);

  public RunComparison {
    requireNonNull(baseline, "baseline");
    requireNonNull(run, "run");
    requireNonNull(detection, "detection");
    requireNonNull(runBottlenecks, "runBottlenecks");
    newBottlenecks = List.copyOf(requireNonNull(newBottlenecks, "newBottlenecks"));
    newOperations = List.copyOf(requireNonNull(newOperations, "newOperations"));
    vanishedOperations = List.copyOf(requireNonNull(vanishedOperations, "vanishedOperations"));
  }

  /**
   * Compares {@code run} with {@code baseline}.
   *
   * @param baselineBottlenecks null when the baseline comes from a file: no new bottlenecks then
   */
  public static RunComparison compare(
      RegressionDetector detector,
      Baseline baseline,
      @Nullable BottleneckShares baselineBottlenecks,
      TraceRun run) {
    requireNonNull(detector, "detector");
    requireNonNull(baseline, "baseline");
    requireNonNull(run, "run");
    Baseline runBaseline = run.baseline();
    DetectionResult detection = detector.detect(baseline, runBaseline);

    List<NewBottleneck> newBottlenecks = new ArrayList<>();
    if (baselineBottlenecks != null) {
      BottleneckShares shares = run.bottlenecks();
      for (OperationKey operation : shares.bottleneckTraces().keySet()) {
        double runShare = shares.share(operation);
        double baselineShare = baselineBottlenecks.share(operation);
        if (runShare >= MIN_BOTTLENECK_SHARE
            && baselineShare < BASELINE_SHARE_FRACTION * runShare) {
          newBottlenecks.add(
              new NewBottleneck(
                  operation,
                  shares.traces(operation),
                  shares.traces(),
                  baselineBottlenecks.traces(operation),
                  baselineBottlenecks.traces()));
        }
      }
      newBottlenecks.sort(
          Comparator.comparingDouble(NewBottleneck::runShare)
              .reversed()
              .thenComparing(NewBottleneck::operation, OPERATION_ORDER));
    }

    List<OperationKey> newOperations = new ArrayList<>();
    for (OperationKey operation : runBaseline.operations().keySet()) {
      if (baseline.operation(operation) == null) {
        newOperations.add(operation);
      }
    }
    List<OperationKey> vanished = new ArrayList<>();
    for (OperationKey operation : baseline.operations().keySet()) {
      if (runBaseline.operation(operation) == null) {
        vanished.add(operation);
      }
    }
    newOperations.sort(OPERATION_ORDER);
    vanished.sort(OPERATION_ORDER);
    return new RunComparison(
        baseline,
        runBaseline,
        detection,
        baselineBottlenecks,
        run.bottlenecks(),
        newBottlenecks,
        newOperations,
        vanished);
  }

  /** Whether a regression of at least {@code failOn} was found: the CI gate. */
  public boolean fails(Severity failOn) {
    return detection.hasRegressionAtLeast(failOn);
  }

  /**
   * Why nothing was compared, or null when at least one operation was: the run has no spans, the
   * baseline no operations, the two have no operation in common, or none in common has enough
   * durations on both sides. A gate must not pass on such a comparison: a broken load test or
   * export looks exactly like this.
   */
  @Nullable
  public String nothingCompared() {
    if (detection.tested() > 0) {
      return null;
    }
    if (run.operations().isEmpty()) {
      return "the run has no spans";
    }
    if (baseline.operations().isEmpty()) {
      return "the baseline has no operations";
    }
    int inCommon = run.operations().size() - newOperations.size();
    if (inCommon == 0) {
      return "no operation of the run ("
          + run.operations().size()
          + ") is in the baseline ("
          + baseline.operations().size()
          + "): are they of the same services?";
    }
    return "none of the "
        + inCommon
        + " operations in common has enough durations on both sides to be tested";
  }

  /** {@code pass}, {@code fail} or {@code no-data}: the gate's verdict, as the exit code says. */
  public String result(Severity failOn) {
    if (fails(failOn)) {
      return "fail";
    }
    return nothingCompared() != null ? "no-data" : "pass";
  }

  /** Whether new bottlenecks were looked for (both sides are traces). */
  public boolean bottlenecksCompared() {
    return baselineBottlenecks != null;
  }
}
