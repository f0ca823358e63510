package dev.traceinsights.alerting;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.InsightEventListener;
import dev.traceinsights.internal.ThrottledLogger;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Turns detection's events into notifications: routes each event by {@link AlertRules} (first match
 * wins) to sinks, suppresses repeats, groups, rate-limits and delivers, with retries.
 *
 * <p><b>Threads.</b> {@link #onEvent} never blocks and never throws: it matches the rules and puts
 * the event on a bounded queue (full: the event is dropped and counted). Everything else happens on
 * one daemon thread, {@code traceinsights-alerts}: deduplication, grouping, rate limiting and the
 * sinks' calls. Retries are scheduled, not slept, so a failing sink delays the others by at most
 * one request timeout per attempt.
 *
 * <p><b>Deduplication</b>, per sink and {@link InsightEvent#dedupKey()}: a firing event is sent if
 * the sink was not told the key is firing, if the cooldown since it was last told has passed (a
 * reminder), or if the severity is higher than last told (an escalation); otherwise it is
 * suppressed and counted. A resolved event is sent to the sinks that were told the key is firing
 * (and that its rule names), once; it then clears the key. At most {@code maxDedupKeys} keys are
 * kept, the least recently seen forgotten first. A notification that is rate-limited or fails for
 * good is forgotten too, so the next firing event tries again.
 *
 * <p><b>Grouping</b>: with a grouping window, the first event for a sink opens a group and every
 * event for that sink within the window joins it (at most 50; a full group is sent at once); the
 * group is sent as one notification. Sinks that do not {@linkplain AlertSink#supportsGrouping()
 * support grouping} (PagerDuty, log records) get each event at once.
 *
 * <p><b>Rate limit</b>: a token bucket per sink, taken per notification (a group takes one), before
 * the first attempt; retries take none.
 *
 * <p><b>Retries</b>: a {@linkplain DeliveryResult.Outcome#RETRYABLE retryable} failure is retried
 * after an exponential backoff with full jitter, or after the receiver's {@code Retry-After} (up to
 * 5 minutes), until the retry policy's attempts are spent.
 *
 * <p>Cooldowns, rate limits and history use the router's clock at processing time, not the events'
 * timestamps.
 */
public final class AlertRouter implements InsightEventListener {

  static final String THREAD_NAME = "traceinsights-alerts";

  /** Events per grouped notification: bounds a group's memory and the size of one request. */
  static final int MAX_GROUP_SIZE = 50;

  static final long MAX_RETRY_AFTER_MINUTES = 5;
  // A receiver asking for longer is likely misconfigured; waiting would pile up retries.
  private static final long MAX_RETRY_AFTER_NANOS =
      TimeUnit.MINUTES.toNanos(MAX_RETRY_AFTER_MINUTES);

  private static final Logger logger = Logger.getLogger(AlertRouter.class.getName());

  private final AlertRules rules;
  private final List<SinkLane> lanes;
  private final List<Route> routes;
  private final Duration cooldown;
  private final Duration groupWindow;
  private final int rateLimit;
  private final Duration rateLimitPeriod;
  private final int queueCapacity;
  private final int maxAttempts;
  private final Backoff backoff;
  private final long shutdownTimeoutNanos;
  private final Clock clock;
  private final TaskScheduler scheduler;
  private final BlockingQueue<Routed> queue;
  private final AlertHistory history;

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean queueFullLogged = new AtomicBoolean();
  private final ThrottledLogger acceptFailureLog = ThrottledLogger.of(logger);
  private final AtomicBoolean isShutdown = new AtomicBoolean();

  // Owned by the delivery thread.
  private final FiringKeys firingKeys;
  // Bounded by the rate limit: at most rateLimit notifications per period per sink start, and a
  // notification waits at most (maxAttempts - 1) x 5 minutes in retries.
  private final Set<Delivery> pendingRetries = new LinkedHashSet<>();
  private boolean lastAttempts;
  private long flushDeadlineNanos = Long.MAX_VALUE;

  AlertRouter(AlertRouterBuilder builder) {
    this.rules = builder.rules;
    this.cooldown = builder.cooldown;
    this.groupWindow = builder.groupWindow;
    this.rateLimit = builder.rateLimit;
    this.rateLimitPeriod = builder.rateLimitPeriod;
    this.queueCapacity = builder.queueCapacity;
    this.maxAttempts = builder.retryPolicy.getMaxAttempts();
    this.backoff = new Backoff(builder.retryPolicy, builder.random);
    this.shutdownTimeoutNanos = builder.shutdownTimeout.toNanos();
    this.clock = builder.clock;
    this.scheduler =
        builder.scheduler != null
            ? builder.scheduler
            : TaskScheduler.singleDaemonThread(THREAD_NAME);
    this.queue = new ArrayBlockingQueue<>(builder.queueCapacity);
    this.history = new AlertHistory(builder.historySize);
    this.firingKeys = new FiringKeys(builder.maxDedupKeys);
    long now = clock.nanoTime();
    List<SinkLane> lanes = new ArrayList<>();
    for (AlertSink sink : builder.sinks) {
      lanes.add(new SinkLane(sink, new TokenBucket(rateLimit, rateLimitPeriod, now)));
    }
    this.lanes = List.copyOf(lanes);
    List<Route> routes = new ArrayList<>();
    for (AlertRule rule : rules.rules()) {
      routes.add(route(rule));
    }
    this.routes = List.copyOf(routes);
  }

  public static AlertRouterBuilder builder() {
    return new AlertRouterBuilder();
  }

  private Route route(AlertRule rule) {
    List<SinkLane> targets = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    if (rule.sendsToAllSinks()) {
      targets.addAll(lanes);
    } else {
      for (String name : rule.sinks()) {
        SinkLane lane = lanes.stream().filter(l -> l.name.equals(name)).findFirst().orElse(null);
        if (lane == null) {
          unknown.add(name);
        } else {
          targets.add(lane);
        }
      }
    }
    if (!unknown.isEmpty()) {
      // Likely a sink not configured in this environment; the rule still applies to the others.
      logger.log(
          Level.WARNING,
          "Alert rule {0} names sinks {1} that are not configured (configured: {2}); its events"
              + " go to the others only",
          new Object[] {rule.name(), unknown, sinkNames()});
    }
    Duration ruleCooldown = rule.cooldown() != null ? rule.cooldown() : cooldown;
    Duration ruleWindow = rule.groupWindow() != null ? rule.groupWindow() : groupWindow;
    return new Route(rule, List.copyOf(targets), ruleCooldown.toNanos(), ruleWindow.toNanos());
  }

  /** Routes and queues {@code event}; never blocks, never throws. */
  @Override
  public void onEvent(InsightEvent event) {
    try {
      if (isShutdown.get()) {
        logger.log(Level.FINE, "Alert router is shut down; event {0} ignored", event.dedupKey());
        return;
      }
      Route route = firstMatch(event);
      if (route == null || route.lanes.isEmpty()) {
        return;
      }
      if (!queue.offer(new Routed(event, route))) {
        for (SinkLane lane : route.lanes) {
          lane.droppedQueueFull.incrementAndGet();
        }
        if (queueFullLogged.compareAndSet(false, true)) {
          logger.log(
              Level.WARNING,
              "Alert queue full ({0} events); dropping events until it drains",
              queueCapacity);
        }
        return;
      }
      if (drainScheduled.compareAndSet(false, true)) {
        scheduler.execute(guarded(this::drain));
      }
    } catch (RuntimeException e) {
      // E.g. a task rejected by a scheduler shut down concurrently; detection must not see it.
      acceptFailureLog.log(Level.WARNING, "Alert router failed to accept an event", e);
    }
  }

  @Nullable
  private Route firstMatch(InsightEvent event) {
    for (Route route : routes) {
      if (route.rule.matches(event)) {
        return route;
      }
    }
    return null;
  }

  /** The last outcomes, oldest first (suppressed repeats are only counted). */
  public List<AlertRecord> history() {
    return history.snapshot();
  }

  /** Counters by sink name, in the order the sinks were added. */
  public Map<String, SinkStats> stats() {
    Map<String, SinkStats> stats = new LinkedHashMap<>();
    for (SinkLane lane : lanes) {
      stats.put(lane.name, lane.stats());
    }
    return Collections.unmodifiableMap(stats);
  }

  /**
   * Delivers now what is queued or waiting in a group, and makes pending retries' next attempt now.
   * Completes when those attempts are done; fails if one of them failed or must be retried.
   */
  public CompletableResultCode forceFlush() {
    CompletableResultCode result = new CompletableResultCode();
    try {
      scheduler.execute(guarded(() -> flush(result, false)));
    } catch (RuntimeException e) {
      result.fail();
    }
    return result;
  }

  /**
   * Stops accepting events, delivers what is pending (queued, grouped, or awaiting a retry, which
   * gets one last attempt now) for up to the shutdown timeout, shuts the sinks down and ends the
   * delivery thread. Fails if something could not be delivered.
   */
  public CompletableResultCode shutdown() {
    if (!isShutdown.compareAndSet(false, true)) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode result = new CompletableResultCode();
    try {
      scheduler.execute(guarded(() -> finalFlush(result)));
    } catch (RuntimeException e) {
      result.fail();
    }
    return result;
  }

  private void finalFlush(CompletableResultCode result) {
    CompletableResultCode flushed = new CompletableResultCode();
    try {
      flush(flushed, true);
    } finally {
      List<CompletableResultCode> results = new ArrayList<>();
      results.add(flushed);
      for (SinkLane lane : lanes) {
        try {
          results.add(lane.sink.shutdown());
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "Alert sink " + lane.name + " failed to shut down", e);
          results.add(CompletableResultCode.ofFailure());
        }
      }
      scheduler.shutdown();
      CompletableResultCode all = CompletableResultCode.ofAll(results);
      all.whenComplete(
          () -> {
            if (all.isSuccess()) {
              result.succeed();
            } else {
              result.fail();
            }
          });
    }
  }

  // ---- The delivery thread from here on. ----

  private void drain() {
    // Cleared before polling: an event offered from now on schedules another drain.
    drainScheduled.set(false);
    queueFullLogged.set(false);
    Routed routed;
    while ((routed = queue.poll()) != null) {
      process(routed.event, routed.route);
    }
  }

  private void process(InsightEvent event, Route route) {
    long now = clock.nanoTime();
    for (SinkLane lane : route.lanes) {
      if (firingKeys.shouldNotify(lane.name, event, route.cooldownNanos, now)) {
        enqueue(lane, event, route.groupWindowNanos);
      } else {
        lane.suppressed.incrementAndGet();
      }
    }
    if (event.status() == EventStatus.RESOLVED) {
      firingKeys.clear(event.dedupKey());
    }
  }

  private void enqueue(SinkLane lane, InsightEvent event, long groupWindowNanos) {
    if (groupWindowNanos <= 0 || !lane.sink.supportsGrouping()) {
      dispatch(lane, List.of(event));
      return;
    }
    if (lane.group.isEmpty()) {
      long generation = ++lane.groupGeneration;
      scheduler.schedule(guarded(() -> flushGroup(lane, generation)), groupWindowNanos);
    }
    lane.group.add(event);
    if (lane.group.size() >= MAX_GROUP_SIZE) {
      flushGroup(lane, lane.groupGeneration);
    }
  }

  /** Sends the lane's group if it is still group {@code generation}: flushed early, it is not. */
  private void flushGroup(SinkLane lane, long generation) {
    if (generation != lane.groupGeneration || lane.group.isEmpty()) {
      return;
    }
    List<InsightEvent> events = List.copyOf(lane.group);
    lane.group.clear();
    lane.groupGeneration++;
    dispatch(lane, events);
  }

  private void dispatch(SinkLane lane, List<InsightEvent> events) {
    if (!lane.rateLimit.tryAcquire(clock.nanoTime())) {
      lane.rateLimited.addAndGet(events.size());
      record(lane, events, AlertRecord.Outcome.RATE_LIMITED, 0, "rate limit exhausted");
      forgetFiring(lane, events);
      if (!lane.rateLimitLogged) {
        lane.rateLimitLogged = true;
        logger.log(
            Level.WARNING,
            "Alert sink {0} is over its rate limit ({1} per {2}); dropping notifications",
            new Object[] {lane.name, rateLimit, rateLimitPeriod});
      }
      return;
    }
    lane.rateLimitLogged = false;
    attempt(new Delivery(lane, events));
  }

  private void attempt(Delivery delivery) {
    SinkLane lane = delivery.lane;
    if (clock.nanoTime() - flushDeadlineNanos > 0) {
      fail(delivery, "not sent: shutdown timeout elapsed");
      return;
    }
    delivery.attempts++;
    DeliveryResult result;
    try {
      result = lane.sink.deliver(delivery.events);
    } catch (RuntimeException e) {
      // Sinks must not throw; one that does is treated as refusing. Its message may be anyone's,
      // so only the type is kept.
      result = DeliveryResult.rejected("sink threw " + e.getClass().getName());
    }
    switch (result.outcome()) {
      case DELIVERED -> {
        lane.sent.addAndGet(delivery.events.size());
        record(lane, delivery.events, AlertRecord.Outcome.SENT, delivery.attempts, "");
      }
      case RETRYABLE -> {
        if (delivery.attempts >= maxAttempts || lastAttempts) {
          fail(delivery, result.detail() + " (after " + delivery.attempts + " attempts)");
        } else {
          scheduleRetry(delivery, result);
        }
      }
      case REJECTED -> fail(delivery, result.detail());
    }
  }

  private void scheduleRetry(Delivery delivery, DeliveryResult result) {
    long delayNanos;
    if (result.retryAfter() != null) {
      delayNanos = Math.min(result.retryAfter().toNanos(), MAX_RETRY_AFTER_NANOS);
    } else {
      delayNanos = backoff.delayNanos(delivery.attempts);
    }
    delivery.lane.retried.incrementAndGet();
    pendingRetries.add(delivery);
    logger.log(
        Level.FINE,
        "Alert to sink {0} failed ({1}); attempt {2} in {3} ms",
        new Object[] {
          delivery.lane.name,
          result.detail(),
          delivery.attempts + 1,
          TimeUnit.NANOSECONDS.toMillis(delayNanos)
        });
    scheduler.schedule(guarded(() -> retry(delivery)), delayNanos);
  }

  private void retry(Delivery delivery) {
    // A flush may have made this attempt already.
    if (pendingRetries.remove(delivery)) {
      attempt(delivery);
    }
  }

  private void fail(Delivery delivery, String detail) {
    SinkLane lane = delivery.lane;
    lane.failed.addAndGet(delivery.events.size());
    record(lane, delivery.events, AlertRecord.Outcome.FAILED, delivery.attempts, detail);
    forgetFiring(lane, delivery.events);
    logger.log(
        Level.WARNING,
        "Alert to sink {0} not delivered ({1} events, first {2}): {3}",
        new Object[] {
          lane.name, delivery.events.size(), delivery.events.get(0).dedupKey(), detail
        });
  }

  private void forgetFiring(SinkLane lane, List<InsightEvent> events) {
    for (InsightEvent event : events) {
      if (event.status() == EventStatus.FIRING) {
        firingKeys.forget(lane.name, event.dedupKey());
      }
    }
  }

  private void record(
      SinkLane lane,
      List<InsightEvent> events,
      AlertRecord.Outcome outcome,
      int attempts,
      String detail) {
    Instant now = Instant.ofEpochSecond(0, clock.now());
    for (InsightEvent event : events) {
      history.add(new AlertRecord(now, lane.name, outcome, event, attempts, detail));
    }
  }

  private void flush(CompletableResultCode result, boolean last) {
    long failedBefore = totalFailed();
    lastAttempts = last;
    flushDeadlineNanos = last ? clock.nanoTime() + shutdownTimeoutNanos : Long.MAX_VALUE;
    try {
      drain();
      for (SinkLane lane : lanes) {
        flushGroup(lane, lane.groupGeneration);
      }
      List<Delivery> retries = new ArrayList<>(pendingRetries);
      pendingRetries.clear();
      for (Delivery delivery : retries) {
        attempt(delivery);
      }
    } finally {
      if (!last) {
        lastAttempts = false;
        flushDeadlineNanos = Long.MAX_VALUE;
      }
    }
    if (totalFailed() == failedBefore && pendingRetries.isEmpty()) {
      result.succeed();
    } else {
      result.fail();
    }
  }

  private long totalFailed() {
    long failed = 0;
    for (SinkLane lane : lanes) {
      failed += lane.failed.get();
    }
    return failed;
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // The scheduler would swallow it silently; a bug here must at least be visible.
        logger.log(Level.SEVERE, "Alert delivery task failed", e);
      }
    };
  }

  private List<String> sinkNames() {
    return lanes.stream().map(lane -> lane.name).toList();
  }

  @Override
  public String toString() {
    return "AlertRouter{sinks="
        + lanes.stream().map(lane -> lane.sink).toList()
        + ", rules="
        + rules.rules().size()
        + ", cooldown="
        + cooldown
        + ", groupWindow="
        + groupWindow
        + ", rateLimit="
        + rateLimit
        + "/"
        + rateLimitPeriod
        + ", queueCapacity="
        + queueCapacity
        + ", backoff="
        + backoff
        + ", shutdown="
        + isShutdown.get()
        + '}';
  }

  /** A rule with its sinks resolved and its overrides applied. */
  private record Route(
      AlertRule rule, List<SinkLane> lanes, long cooldownNanos, long groupWindowNanos) {}

  /** A queued event with the route its rule gave it. */
  private record Routed(InsightEvent event, Route route) {}

  /** One notification on its way to one sink. Identity matters: it is a pending-retry handle. */
  private static final class Delivery {
    final SinkLane lane;
    final List<InsightEvent> events;
    int attempts;

    Delivery(SinkLane lane, List<InsightEvent> events) {
      this.lane = lane;
      this.events = events;
    }
  }

  /** A sink with its counters, rate limit and open group. */
  private static final class SinkLane {
    final AlertSink sink;
    final String name;
    final TokenBucket rateLimit;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong suppressed = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final AtomicLong droppedQueueFull = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    // Delivery thread only.
    final List<InsightEvent> group = new ArrayList<>();
    long groupGeneration;
    boolean rateLimitLogged;

    SinkLane(AlertSink sink, TokenBucket rateLimit) {
      this.sink = sink;
      this.name = sink.name();
      this.rateLimit = rateLimit;
    }

    SinkStats stats() {
      return new SinkStats(
          sent.get(),
          suppressed.get(),
          rateLimited.get(),
          droppedQueueFull.get(),
          failed.get(),
          retried.get());
    }
  }
}
