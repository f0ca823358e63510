package dev.traceinsights.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Fixed-rate, open-loop HTTP load: request {@code i} is due at {@code start + i / rate} whether or
 * not earlier ones have been answered, and its latency runs from that due time, not from when it
 * was actually sent. A server (or this client) that stalls therefore shows up in the latency of
 * every request that should have been sent meanwhile: the measurement avoids coordinated omission
 * (the approach of wrk2). Latencies are recorded in microseconds in an HdrHistogram with three
 * significant digits (relative error ≤ 0.1 %).
 */
final class OpenLoopLoad {

  /** What a run measured. */
  record Outcome(
      long scheduled, long completed, long errors, long durationNanos, Histogram latencyMicros) {

    /** Successful responses per second over the run (until the last response arrived). */
    double throughput() {
      return completed * 1e9 / durationNanos;
    }
  }

  private final HttpClient client;
  private final URI uri;
  private final Duration timeout;

  OpenLoopLoad(HttpClient client, URI uri, Duration timeout) {
    this.client = client;
    this.uri = uri;
    this.timeout = timeout;
  }

  /** Sends {@code rate} requests per second for {@code duration}, then waits for the answers. */
  Outcome run(double rate, Duration duration) throws InterruptedException {
    if (rate <= 0) {
      throw new IllegalArgumentException("rate must be positive");
    }
    long count = Math.max(1, (long) (rate * duration.toNanos() / 1e9));
    Schedule schedule = new Schedule(rate);
    Recorder recorder = new Recorder(3);
    LongAdder errors = new LongAdder();
    LongAdder completed = new LongAdder();
    CountDownLatch answered = new CountDownLatch((int) Math.min(count, Integer.MAX_VALUE));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    long[] lastAnswer = {start};
    for (long i = 0; i < count; i++) {
      long due = start + schedule.offsetNanos(i);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      client
          .sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, failure) -> {
                long now = System.nanoTime();
                if (failure == null && response.statusCode() == 200) {
                  recorder.recordValue(Math.max(0, (now - due) / 1000));
                  completed.increment();
                } else {
                  errors.increment();
                }
                synchronized (lastAnswer) {
                  lastAnswer[0] = Math.max(lastAnswer[0], now);
                }
                answered.countDown();
              });
    }
    answered.await(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    long end;
    synchronized (lastAnswer) {
      end = lastAnswer[0];
    }
    long unanswered = answered.getCount();
    return new Outcome(
        count,
        completed.sum(),
        errors.sum() + unanswered,
        Math.max(1, end - start),
        recorder.getIntervalHistogram());
  }

  /** When each request is due: evenly spaced at {@code rate} per second. */
  record Schedule(double rate) {
    long offsetNanos(long index) {
      return (long) (index * 1e9 / rate);
    }
  }
}
