package dev.traceinsights.detection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.alerting.AlertRouter;
import dev.traceinsights.alerting.AlertSink;
import dev.traceinsights.alerting.DeliveryResult;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineFile;
import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.stats.OperationKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection over live statistics on a test clock, window by window (windows of 60 s; the first is
 * warm-up). Durations are lognormal around 100 ms (log-sd 0.1), 200 calls per window.
 */
class LiveDetectionTest {

  private static final String SERVICE = "shop";
  private static final Resource RESOURCE =
      Resource.create(
          Attributes.of(
              io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), SERVICE));
  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final long MS = 1_000_000L;

  private final TestClock clock = TestClock.create();
  private final long start = clock.now();
  private final CollectingSink notifications = new CollectingSink();
  private final SplittableRandom random = new SplittableRandom(7);
  private final List<InsightEvent> events = new ArrayList<>();
  private final LiveStatistics statistics =
      LiveStatistics.builder().setClock(clock).setWindow(WINDOW).setSeed(1).build();

  @Test
  void learnedBaselineFlagsALasting30PercentSlowdownAndResolvesIt() {
    //   window:   0 (warm-up)  1..5 learn  6        7        8
    //   orders:   100 ms       100 ms      130 ms   130 ms   100 ms
    //   users:    100 ms       100 ms      100 ms   100 ms   100 ms
    //   events:   -            -           - (1st)  orders   orders resolved
    LiveDetection detection = detection().build();
    for (int window = 0; window <= 5; window++) {
      traffic("GET /orders", 100);
      traffic("GET /users", 100);
      nextWindow(detection);
    }
    assertThat(detection.judgedWindows()).isEqualTo(6);
    assertThat(detection.warmingWindows()).isEqualTo(2); // window 0 of each operation
    assertThat(regressions()).isEmpty();

    traffic("GET /orders", 130);
    traffic("GET /users", 100);
    nextWindow(detection);
    assertThat(regressions()).isEmpty(); // one window is not yet a regression
    assertThat(detection.unconfirmedRegressions()).isEqualTo(1);

    traffic("GET /orders", 130);
    traffic("GET /users", 100);
    nextWindow(detection);
    assertThat(regressions())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.operation()).isEqualTo("GET /orders");
              assertThat(event.service()).isEqualTo(SERVICE);
              assertThat(event.spanKind()).isEqualTo("server");
              assertThat(event.status()).isEqualTo(EventStatus.FIRING);
              assertThat(event.severity()).isEqualTo(Severity.MEDIUM);
              assertThat(event.exampleTraceIds()).isNotEmpty();
              assertThat((Double) event.evidence().get("p50.change_percent")).isBetween(20.0, 40.0);
            });

    // Back to 100 ms: one window that passes is not yet a return, the second is.
    events.clear();
    traffic("GET /orders", 100);
    traffic("GET /users", 100);
    nextWindow(detection);
    assertThat(regressions()).isEmpty();
    traffic("GET /orders", 100);
    traffic("GET /users", 100);
    nextWindow(detection);
    assertThat(regressions())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.operation()).isEqualTo("GET /orders");
              assertThat(event.status()).isEqualTo(EventStatus.RESOLVED);
            });
    assertThat(detection.events(EventType.REGRESSION)).isEqualTo(2);
  }

  @Test
  void aStepChangeHeldFor20WindowsStaysFiringWithOneNotification() {
    // The case: +15 ms on a fast operation, held. The rolling baseline (5 windows) must
    // not learn the regressed windows while the regression fires, or it resolves by itself.
    LiveDetection detection = detection().build();
    for (int window = 0; window <= 5; window++) {
      traffic("GET /orders", 10);
      nextWindow(detection);
    }
    AlertRouter router =
        AlertRouter.builder().addSink(notifications).setCooldown(Duration.ofHours(1)).build();
    for (int window = 0; window < 20; window++) {
      traffic("GET /orders", 25);
      nextWindow(detection);
    }
    // Fires at the second slow window and stays firing: each regressed window hands its event on
    // (the router's reminders and escalations need them), none resolves it.
    assertThat(regressions())
        .hasSize(19)
        .allSatisfy(
            event -> {
              assertThat(event.status()).isEqualTo(EventStatus.FIRING);
              assertThat((Double) event.evidence().get("baseline.p50_ms")).isBetween(9.5, 10.5);
            });
    assertThat(detection.firingRegressions()).isEqualTo(1);

    regressions().forEach(router::onEvent);
    assertThat(router.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(notifications.delivered)
        .singleElement()
        .satisfies(
            delivery ->
                assertThat(delivery)
                    .singleElement()
                    .extracting(InsightEvent::status)
                    .isEqualTo(EventStatus.FIRING));
  }

  @Test
  void aStepThatRecoversResolvesOnceAndThenIsLearntAgain() {
    //   windows 0 warm-up, 1..5 at 10 ms, 6..15 at 25 ms (fires at 7), 16..25 at 10 ms
    LiveDetection detection = detection().build();
    for (int window = 0; window <= 25; window++) {
      traffic("GET /orders", window >= 6 && window <= 15 ? 25 : 10);
      nextWindow(detection);
    }
    // Fires at window 7 and repeats while slow (7..15: 9 events); resolves once, after two windows
    // back at 10 ms (window 17).
    assertThat(regressions())
        .extracting(InsightEvent::status)
        .containsExactlyElementsOf(statuses(9, 1));
    assertThat(regressions().get(9).epochNanos()).isEqualTo(windowEnd(17));
    assertThat(detection.firingRegressions()).isZero();

    // The baseline kept the 10 ms windows: a new step is still a regression against them.
    events.clear();
    for (int window = 0; window < 2; window++) {
      traffic("GET /orders", 25);
      nextWindow(detection);
    }
    assertThat(regressions())
        .singleElement()
        .satisfies(event -> assertThat(event.status()).isEqualTo(EventStatus.FIRING));
  }

  @Test
  void aFiringRegressionThatGoesIdleResolvesWhenItComesBackNormal() {
    // Idle longer than the baseline's 5 windows while firing: its baseline must still be there
    // when calls return, or it is never tested again and fires for ever.
    LiveDetection detection = detection().build();
    for (int window = 0; window <= 5; window++) {
      traffic("GET /orders", 10);
      traffic("GET /users", 10);
      nextWindow(detection);
    }
    for (int window = 0; window < 2; window++) {
      traffic("GET /orders", 25);
      traffic("GET /users", 10);
      nextWindow(detection);
    }
    assertThat(detection.firingRegressions()).isEqualTo(1);
    for (int window = 0; window < 8; window++) {
      traffic("GET /users", 10); // orders idle
      nextWindow(detection);
    }
    events.clear();
    for (int window = 0; window < 2; window++) {
      traffic("GET /orders", 10);
      traffic("GET /users", 10);
      nextWindow(detection);
    }
    assertThat(regressions())
        .singleElement()
        .satisfies(event -> assertThat(event.status()).isEqualTo(EventStatus.RESOLVED));
    assertThat(detection.firingRegressions()).isZero();
  }

  @Test
  void aSlowWindowBetweenNormalOnesNeverFires() {
    //   window:  0 warm-up, 1..5 100 ms, 6 200 ms, 7 100 ms, 8 200 ms, 9 100 ms
    LiveDetection detection = detection().build();
    for (int window = 0; window <= 9; window++) {
      traffic("GET /orders", window == 6 || window == 8 ? 200 : 100);
      nextWindow(detection);
    }
    assertThat(regressions()).isEmpty();
    assertThat(detection.unconfirmedRegressions()).isEqualTo(2);
  }

  @Test
  void capturedBaselineIsWrittenAndJudgesTheNextRun(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("baseline.json");
    LiveDetection release = detection().setCaptureFile(file).build();
    for (int window = 0; window <= 3; window++) {
      traffic("GET /orders", 100);
      nextWindow(release);
    }
    assertThat(release.shutdown().isSuccess()).isTrue();

    Baseline baseline = BaselineFile.read(file);
    OperationKey orders = new OperationKey(SERVICE, "GET /orders", SpanKind.SERVER);
    // Windows 1..3 were captured; window 0 was warm-up.
    assertThat(baseline.operation(orders).calls()).isEqualTo(3 * 200);
    assertThat(baseline.operation(orders).p50Nanos()).isBetween(95.0 * MS, 105.0 * MS);

    // The next release, judged against the file from its first window after warm-up.
    LiveDetection next = detection().setBaseline(baseline).build();
    traffic("GET /orders", 100);
    nextWindow(next); // warm-up
    traffic("GET /orders", 250);
    nextWindow(next);
    traffic("GET /orders", 250);
    nextWindow(next);
    assertThat(regressions())
        .singleElement()
        .satisfies(event -> assertThat(event.severity()).isEqualTo(Severity.CRITICAL));
  }

  @Test
  void windowsTheThreadMissedAreCountedNotJudged() {
    LiveDetection detection = detection().setWarmupWindows(0).build();
    traffic("GET /orders", 100);
    nextWindow(detection);
    clock.advance(WINDOW.multipliedBy(3));
    detection.poll();
    detection.poll(); // the same window again: nothing new
    assertThat(detection.judgedWindows()).isEqualTo(2);
    assertThat(detection.missedWindows()).isEqualTo(2);
  }

  @Test
  void aFailingListenerDoesNotStopDetection() {
    LiveDetection detection =
        LiveDetection.builder(statistics)
            .setWarmupWindows(0)
            .setListener(
                event -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();
    for (int window = 0; window < 8; window++) {
      traffic("GET /orders", window >= 6 ? 300 : 100);
      nextWindow(detection);
    }
    assertThat(detection.judgedWindows()).isEqualTo(8);
    assertThat(detection.events(EventType.REGRESSION)).isEqualTo(1);
  }

  private static List<EventStatus> statuses(int firing, int resolved) {
    List<EventStatus> statuses = new ArrayList<>();
    statuses.addAll(Collections.nCopies(firing, EventStatus.FIRING));
    statuses.addAll(Collections.nCopies(resolved, EventStatus.RESOLVED));
    return statuses;
  }

  /** The end of window {@code index} (0 is the first). */
  private long windowEnd(int index) {
    return start + (index + 1) * WINDOW.toNanos();
  }

  private LiveDetectionBuilder detection() {
    return LiveDetection.builder(statistics).setListener(events::add);
  }

  private List<InsightEvent> regressions() {
    return events.stream().filter(event -> event.type() == EventType.REGRESSION).toList();
  }

  /** 200 calls of the operation, lognormal around {@code medianMillis}. */
  private void traffic(String name, double medianMillis) {
    for (int i = 0; i < 200; i++) {
      long duration = (long) (medianMillis * MS * Math.exp(0.1 * gaussian()));
      long start = clock.now();
      statistics.recordUnanalyzed(
          TestSpanData.builder()
              .setName(name)
              .setKind(SpanKind.SERVER)
              .setResource(RESOURCE)
              .setSpanContext(
                  io.opentelemetry.api.trace.SpanContext.create(
                      String.format(Locale.ROOT, "%032x", random.nextLong() & Long.MAX_VALUE),
                      String.format(Locale.ROOT, "%016x", 1 + (random.nextLong() & 0xffffffL)),
                      io.opentelemetry.api.trace.TraceFlags.getSampled(),
                      io.opentelemetry.api.trace.TraceState.getDefault()))
              .setStartEpochNanos(start)
              .setEndEpochNanos(start + duration)
              .setHasEnded(true)
              .setStatus(StatusData.unset())
              .setTotalRecordedEvents(0)
              .setTotalRecordedLinks(0)
              .build());
    }
  }

  private double gaussian() {
    // Box-Muller from the seeded generator, so each run sees the same durations.
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** An alert sink that keeps what it was given. */
  private static final class CollectingSink implements AlertSink {
    final List<List<InsightEvent>> delivered = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "collecting";
    }

    @Override
    public DeliveryResult deliver(List<InsightEvent> events) {
      delivered.add(List.copyOf(events));
      return DeliveryResult.delivered();
    }
  }

  private void nextWindow(LiveDetection detection) {
    clock.advance(WINDOW);
    detection.poll();
  }
}
