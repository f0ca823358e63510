package dev.traceinsights.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Saturating load: {@code connections} threads each send the next request as soon as the previous
 * one is answered, for a fixed time. The completed requests per second is the service's maximum
 * throughput on this machine (the load generator shares its cores, the same in every
 * configuration).
 */
final class ClosedLoopLoad {

  /** What a run measured; latencies in microseconds, as seen by a waiting client. */
  record Outcome(long completed, long errors, long durationNanos, long p50Micros, long p99Micros) {
    double throughput() {
      return completed * 1e9 / durationNanos;
    }
  }

  private final HttpClient client;
  private final URI uri;
  private final Duration timeout;

  ClosedLoopLoad(HttpClient client, URI uri, Duration timeout) {
    this.client = client;
    this.uri = uri;
    this.timeout = timeout;
  }

  Outcome run(int connections, Duration duration) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    LongAdder completed = new LongAdder();
    LongAdder errors = new LongAdder();
    Recorder recorder = new Recorder(3);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread thread =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long sent = System.nanoTime();
                  try {
                    HttpResponse<Void> response =
                        client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                      recorder.recordValue((System.nanoTime() - sent) / 1000);
                      completed.increment();
                    } else {
                      errors.increment();
                    }
                  } catch (IOException e) {
                    errors.increment();
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "load-" + c);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long elapsed = System.nanoTime() - start;
    var histogram = recorder.getIntervalHistogram();
    return new Outcome(
        completed.sum(),
        errors.sum(),
        elapsed,
        histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(99));
  }
}
