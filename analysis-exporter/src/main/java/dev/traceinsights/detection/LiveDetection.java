package dev.traceinsights.detection;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.anomaly.AnomalyDetector;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineFile;
import dev.traceinsights.baseline.BaselineRecorder;
import dev.traceinsights.baseline.RollingBaseline;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.InsightEventListener;
import dev.traceinsights.events.internal.FiringConditions;
import dev.traceinsights.internal.ThrottledLogger;
import dev.traceinsights.stats.CompletedWindow;
import dev.traceinsights.stats.ErrorPattern;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.stats.OperationKey;
import dev.traceinsights.stats.OperationWindow;
import dev.traceinsights.trend.TrendAnalyzer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Detection in a running application: once per completed {@link LiveStatistics} window, on a thread
 * of its own ({@code traceinsights-detection}), compares every operation's window with the baseline
 * (a file, or the last windows), scores the live series for anomalies and fits trends, and hands
 * the events to a listener (the alert router). It can also capture this run's baseline and write it
 * to a file, on demand and at shutdown.
 *
 * <p>The statistics are polled a few times per window, so a window is judged within a quarter of a
 * window (at most 5 s) of its end; a window the thread missed (a very long pause) is counted, not
 * judged late. Each operation's first {@code warmupWindows} windows with calls (default 1) are
 * neither judged nor learnt from: they hold the JIT's warm-up of its code path and its first
 * connections, slower than the steady state (measured in the demo: p50 up to 2.4× in the first
 * judged 10 s window).
 *
 * <p>A regression fires once the operation regressed in {@code confirmWindows} consecutive compared
 * windows (default 2): a release's regression lasts, while a window slowed by a neighbour, a long
 * GC or a JIT burst does not (on the demo's two-core machine such windows made fast endpoints 50 to
 * 90 % slower for one window, then passed).
 *
 * <p>A regression resolves when the operation returns to its baseline: the same comparison, against
 * the same baseline, finds no regression in {@code confirmWindows} consecutive tested windows (a
 * {@linkplain dev.traceinsights.events.EventStatus#RESOLVED resolved} event). While a regression
 * holds (unconfirmed or firing) the learned baseline does not take in the operation's windows nor
 * ages out its older ones, so a regression that persists stays firing: it does not become the
 * baseline by itself. While it fires, each regressed window hands its event on again, for the alert
 * router's reminders and escalations. An idle operation stays firing until it is tested again.
 */
public final class LiveDetection {

  private static final Logger logger = Logger.getLogger(LiveDetection.class.getName());

  private final ThrottledLogger failureLog = ThrottledLogger.of(logger);
  private final ThrottledLogger listenerFailureLog = ThrottledLogger.of(logger);

  private final LiveStatistics statistics;
  @Nullable private final Baseline fixedBaseline;
  private final RollingBaseline rollingBaseline;
  private final RegressionDetector regressions;
  @Nullable private final AnomalyDetector anomalies;
  @Nullable private final TrendAnalyzer trends;
  private final int warmupWindows;
  private final int confirmWindows;
  @Nullable private final Path captureFile;
  @Nullable private final BaselineRecorder capture;
  private final InsightEventListener listener;

  private final Object lock = new Object();
  // Guarded by lock: the detection thread, shutdown and writeBaseline take turns.
  private long lastIndex = -1;
  private final FiringConditions<OperationKey> regressionConditions;
  private final Map<OperationKey, Integer> windowsSeen = new HashMap<>();

  private final AtomicLong judgedWindows = new AtomicLong();
  private final AtomicLong missedWindows = new AtomicLong();
  private final AtomicLong warmingWindows = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Map<EventType, AtomicLong> events = new EnumMap<>(EventType.class);

  @Nullable private volatile ScheduledExecutorService executor;

  LiveDetection(LiveDetectionBuilder builder) {
    this.statistics = builder.statistics;
    this.fixedBaseline = builder.baseline;
    this.rollingBaseline = builder.rollingBaseline;
    this.regressions = builder.regressionDetector;
    this.anomalies = builder.anomalyDetector;
    this.trends = builder.trendAnalyzer;
    this.warmupWindows = builder.warmupWindows;
    this.confirmWindows = builder.confirmWindows;
    this.captureFile = builder.captureFile;
    this.capture = builder.captureFile == null ? null : builder.captureRecorder;
    this.listener = builder.listener;
    this.regressionConditions =
        new FiringConditions<>(
            builder.confirmWindows, builder.confirmWindows, /* repeatWhileFiring= */ true);
    for (EventType type : EventType.values()) {
      events.put(type, new AtomicLong());
    }
  }

  public static LiveDetectionBuilder builder(LiveStatistics statistics) {
    return new LiveDetectionBuilder(statistics);
  }

  /** Starts the detection thread; a second call does nothing. */
  public LiveDetection start() {
    synchronized (lock) {
      if (executor != null) {
        return this;
      }
      ScheduledExecutorService started =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "traceinsights-detection");
                thread.setDaemon(true);
                return thread;
              });
      long poll = Math.max(1, Math.min(statistics.window().toMillis() / 4, 5_000));
      started.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
      executor = started;
    }
    return this;
  }

  /**
   * Judges the last completed window if it has not been judged yet. The detection thread calls it;
   * tests may call it directly instead of starting the thread.
   */
  public void poll() {
    try {
      synchronized (lock) {
        // Most polls find the same window: skip copying every operation's sample for nothing.
        if (statistics.completedWindowIndex() <= lastIndex) {
          return;
        }
      }
      CompletedWindow window = statistics.completedWindow();
      List<InsightEvent> found;
      synchronized (lock) {
        if (window.index() <= lastIndex) {
          return;
        }
        if (lastIndex >= 0 && window.index() > lastIndex + 1) {
          missedWindows.addAndGet(window.index() - lastIndex - 1);
        }
        lastIndex = window.index();
        found = judge(window);
      }
      for (InsightEvent event : found) {
        events.get(event.type()).incrementAndGet();
        deliver(event);
      }
    } catch (RuntimeException e) {
      // Detection must never take the thread down, nor the application with it.
      failures.incrementAndGet();
      failureLog.log(Level.WARNING, "Trace Insights: detection failed for a window", e);
    }
  }

  private void deliver(InsightEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      listenerFailureLog.log(Level.WARNING, "Trace Insights: the event listener failed", e);
    }
  }

  /** Under the lock. */
  private List<InsightEvent> judge(CompletedWindow window) {
    judgedWindows.incrementAndGet();
    long end = window.endEpochNanos();
    List<OperationWindow> operations = warm(window.operations());
    List<ErrorPattern> patterns = statistics.errorPatterns();
    List<InsightEvent> found = new ArrayList<>();

    Baseline baseline = fixedBaseline != null ? fixedBaseline : rollingBaseline.baseline();
    DetectionResult result = regressions.detect(baseline, operations);
    Set<OperationKey> regressed = new HashSet<>();
    for (RegressionFinding finding : result.regressions()) {
      regressed.add(finding.operation());
      InsightEvent event = regressionConditions.holds(finding.operation(), finding.toEvent(end));
      if (event != null) {
        found.add(event);
      }
    }
    // In the window's order, so that the events come in the same order every run.
    for (OperationWindow judged : operations) {
      OperationKey operation = judged.operation();
      if (result.testedOperations().contains(operation) && !regressed.contains(operation)) {
        InsightEvent resolved =
            regressionConditions.clears(operation, end, firing -> "Resolved: " + firing.title());
        if (resolved != null) {
          found.add(resolved);
        }
      }
    }
    if (fixedBaseline == null) {
      // After the comparison: a window is never part of its own baseline. Nor are the windows of
      // an operation whose regression holds, idle or not: learning them would resolve it by
      // itself, and ageing its history out while it is idle would leave nothing to test it
      // against when its calls return.
      rollingBaseline.add(operations, regressionConditions.heldKeys());
    }
    if (anomalies != null) {
      found.addAll(anomalies.observe(end, operations, patterns));
    }
    if (trends != null) {
      found.addAll(trends.observe(end, operations));
    }
    if (capture != null) {
      for (OperationWindow operation : operations) {
        capture.recordWindow(operation);
      }
      for (ErrorPattern pattern : patterns) {
        capture.recordErrorFingerprint(pattern.fingerprint());
      }
    }
    return found;
  }

  /**
   * The windows of operations past their warm-up: an operation's first {@code warmupWindows}
   * windows with calls are left out (the JIT compiles its code path, pools fill, caches warm).
   */
  private List<OperationWindow> warm(List<OperationWindow> operations) {
    if (warmupWindows == 0) {
      return operations;
    }
    List<OperationWindow> warm = new ArrayList<>(operations.size());
    for (OperationWindow operation : operations) {
      // Bounded: the statistics hold at most maxOperations keys plus their overflow series.
      int seen = windowsSeen.merge(operation.operation(), 1, Integer::sum);
      if (seen > warmupWindows) {
        warm.add(operation);
      } else {
        warmingWindows.incrementAndGet();
      }
    }
    return warm;
  }

  /**
   * Writes the baseline captured so far (every judged window) to the capture file; false when no
   * capture file is configured. Any thread.
   */
  public boolean writeBaseline() throws IOException {
    if (capture == null || captureFile == null) {
      return false;
    }
    Baseline captured;
    synchronized (lock) {
      captured = capture.build();
    }
    BaselineFile.write(captured, captureFile);
    return true;
  }

  /**
   * Stops the thread, judges a window that completed meanwhile, and writes the captured baseline if
   * a capture file is configured.
   */
  public CompletableResultCode shutdown() {
    ScheduledExecutorService running;
    synchronized (lock) {
      running = executor;
      executor = null;
    }
    if (running != null) {
      running.shutdownNow();
    }
    poll();
    try {
      if (writeBaseline()) {
        logger.info("Trace Insights: baseline written to " + captureFile);
      }
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      logger.log(
          Level.WARNING, "Trace Insights: could not write the baseline to " + captureFile, e);
      return CompletableResultCode.ofFailure();
    }
  }

  public long judgedWindows() {
    return judgedWindows.get();
  }

  public long missedWindows() {
    return missedWindows.get();
  }

  /** Regressions found in a window but not (yet) confirmed by the following ones. */
  public long unconfirmedRegressions() {
    synchronized (lock) {
      return regressionConditions.unconfirmed();
    }
  }

  /** Regressions firing now (confirmed and not resolved). */
  public int firingRegressions() {
    synchronized (lock) {
      return regressionConditions.firingCount();
    }
  }

  /** Operation windows left out as their operation's warm-up. */
  public long warmingWindows() {
    return warmingWindows.get();
  }

  /** Events handed to the listener, of {@code type}. */
  public long events(EventType type) {
    return events.get(requireNonNull(type, "type")).get();
  }

  @Override
  public String toString() {
    return "LiveDetection{baseline="
        + (fixedBaseline != null ? "file" : "rolling")
        + ", warmupWindows="
        + warmupWindows
        + ", confirmWindows="
        + confirmWindows
        + ", judgedWindows="
        + judgedWindows
        + ", missedWindows="
        + missedWindows
        + ", capture="
        + (captureFile != null)
        + '}';
  }
}
