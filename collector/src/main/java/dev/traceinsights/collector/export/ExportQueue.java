package dev.traceinsights.collector.export;

import dev.traceinsights.collector.receiver.Admission;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * A bounded queue in front of one exporter, with its own thread: batches of up to {@code batchSize}
 * spans are exported in order, and a batch that fails is retried with exponential backoff (200 ms
 * doubling to 30 s) until {@code maxElapsedTime}, then dropped and counted. While a backend is down
 * the queue fills; the collector's receivers refuse new data once it is nearly full ({@link
 * #nearlyFull()}), so that senders back off instead of the queue dropping.
 */
public final class ExportQueue implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ExportQueue.class.getName());
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** A batch is sent once it is full or its oldest span has waited this long. */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** A backend that is behind needs longer to catch up than a buffer needs to free memory. */
  private static final Duration BEHIND_RETRY_AFTER = Duration.ofSeconds(5);

  private final String name;
  private final SpanExporter exporter;
  private final int capacity;
  private final int batchSize;
  private final long maxElapsedNanos;
  private final Duration exportTimeout;
  private final ArrayDeque<SpanData> queue = new ArrayDeque<>();

  /** Spans taken for the batch being sent (or retried): still held, so still counted. */
  private int inFlight;

  private final Map<ExportDropReason, LongAdder> dropped = new EnumMap<>(ExportDropReason.class);
  private final LongAdder exported = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long deadlineNanos = Long.MAX_VALUE;

  public ExportQueue(
      String name,
      SpanExporter exporter,
      int capacity,
      int batchSize,
      Duration maxElapsedTime,
      Duration exportTimeout) {
    this.name = name;
    this.exporter = exporter;
    this.capacity = capacity;
    this.batchSize = batchSize;
    this.maxElapsedNanos = maxElapsedTime.toNanos();
    this.exportTimeout = exportTimeout;
    for (ExportDropReason reason : ExportDropReason.values()) {
      dropped.put(reason, new LongAdder());
    }
    this.thread = new Thread(this::run, "traceinsights-export-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code spans} whole, or drops and counts them all when there is no room. */
  public boolean offer(List<SpanData> spans) {
    synchronized (queue) {
      if (!running || queue.size() + inFlight + spans.size() > capacity) {
        ExportDropReason reason = running ? ExportDropReason.QUEUE_FULL : ExportDropReason.SHUTDOWN;
        dropped.get(reason).add(spans.size());
        return false;
      }
      queue.addAll(spans);
      queue.notifyAll();
    }
    return true;
  }

  /**
   * The refusal receivers give while any of {@code queues} is nearly full, or null when all have
   * room: new data would only be dropped there.
   */
  @Nullable
  public static Admission refusalWhileBehind(List<ExportQueue> queues) {
    for (ExportQueue queue : queues) {
      if (queue.nearlyFull()) {
        return Admission.refused(
            BEHIND_RETRY_AFTER,
            "the collector's exporter " + queue.name() + " is behind; retry later");
      }
    }
    return null;
  }

  /** Over 90 % full: time for the receivers to refuse new data. */
  public boolean nearlyFull() {
    return size() >= capacity * 0.9;
  }

  /** Spans held: waiting, and in the batch being sent or retried. */
  public int size() {
    synchronized (queue) {
      return queue.size() + inFlight;
    }
  }

  private int waiting() {
    synchronized (queue) {
      return queue.size();
    }
  }

  public String name() {
    return name;
  }

  public long exportedSpans() {
    return exported.sum();
  }

  public long droppedSpans(ExportDropReason reason) {
    return dropped.get(reason).sum();
  }

  public long failedAttempts() {
    return failedAttempts.sum();
  }

  private void run() {
    while (running || waiting() > 0) {
      List<SpanData> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        break;
      }
      if (batch.isEmpty()) {
        continue;
      }
      send(batch);
      synchronized (queue) {
        inFlight = 0;
      }
    }
    int left;
    synchronized (queue) {
      left = queue.size();
      queue.clear();
    }
    dropped.get(ExportDropReason.SHUTDOWN).add(left);
  }

  private List<SpanData> nextBatch() throws InterruptedException {
    synchronized (queue) {
      long lingerUntil = 0;
      while (running && queue.size() < batchSize) {
        long now = System.nanoTime();
        if (queue.isEmpty()) {
          lingerUntil = 0;
          queue.wait(100);
          continue;
        }
        if (lingerUntil == 0) {
          lingerUntil = now + LINGER_NANOS;
        }
        if (now >= lingerUntil) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(queue, lingerUntil - now);
      }
      List<SpanData> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
      while (batch.size() < batchSize && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
      inFlight = batch.size();
      return batch;
    }
  }

  private void send(List<SpanData> batch) {
    long start = System.nanoTime();
    long backoff = FIRST_BACKOFF_NANOS;
    while (true) {
      boolean success;
      try {
        CompletableResultCode result = exporter.export(batch);
        result.join(exportTimeout.toNanos(), TimeUnit.NANOSECONDS);
        success = result.isSuccess();
      } catch (RuntimeException e) {
        logger.log(Level.FINE, "exporter " + name + " threw", e);
        success = false;
      }
      if (success) {
        exported.add(batch.size());
        return;
      }
      failedAttempts.increment();
      long now = System.nanoTime();
      if (now - start + backoff > maxElapsedNanos || now + backoff > deadlineNanos) {
        ExportDropReason reason =
            now + backoff > deadlineNanos
                ? ExportDropReason.SHUTDOWN
                : ExportDropReason.RETRIES_EXHAUSTED;
        dropped.get(reason).add(batch.size());
        logger.warning(
            "Trace Insights collector dropped "
                + batch.size()
                + " spans: exporter "
                + name
                + " kept failing ("
                + reason.attributeValue()
                + ")");
        return;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(backoff);
      } catch (InterruptedException e) {
        dropped.get(ExportDropReason.SHUTDOWN).add(batch.size());
        return;
      }
      backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    }
  }

  /**
   * Sends what is queued within {@code timeout}, then stops; what is left is counted as dropped
   * ({@link ExportDropReason#SHUTDOWN}).
   */
  public void shutdown(Duration timeout) {
    deadlineNanos = System.nanoTime() + timeout.toNanos();
    synchronized (queue) {
      running = false;
      queue.notifyAll();
    }
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    exporter.shutdown().join(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(5));
  }
}
