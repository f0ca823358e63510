package dev.traceinsights.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OpenLoopLoadTest {

  @Test
  void requestsAreDueEvenlyAtTheRate() {
    OpenLoopLoad.Schedule schedule = new OpenLoopLoad.Schedule(250);

    assertThat(schedule.offsetNanos(0)).isZero();
    assertThat(schedule.offsetNanos(1)).isEqualTo(4_000_000);
    assertThat(schedule.offsetNanos(250)).isEqualTo(1_000_000_000);
  }

  /**
   * A server with one worker thread stalls 300 ms on its first request. Requests due during the
   * stall wait for it, and each one's latency counts from its due time: a request due at 0, 10, 20
   * ... 100 ms is answered after the stall, so at least 11 requests took 200 ms or more. A
   * measurement from the actual send (or a closed loop) would show a single slow request. (Lower
   * bounds only: a slower machine can only make latencies longer.)
   */
  @Test
  void aStallCountsInTheLatencyOfEveryRequestThatWasDueDuringIt() throws Exception {
    AtomicBoolean stalled = new AtomicBoolean();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    server.createContext(
        "/",
        exchange -> {
          if (stalled.compareAndSet(false, true)) {
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(worker);
    server.start();
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

      OpenLoopLoad.Outcome outcome =
          new OpenLoopLoad(client, uri, Duration.ofSeconds(10)).run(100, Duration.ofSeconds(1));

      assertThat(outcome.scheduled()).isEqualTo(100);
      assertThat(outcome.completed()).isEqualTo(100);
      assertThat(outcome.errors()).isZero();
      Histogram latency = outcome.latencyMicros();
      assertThat(latency.getTotalCount()).isEqualTo(100);
      long atLeast200Millis = latency.getCountBetweenValues(200_000, latency.getMaxValue());
      assertThat(atLeast200Millis).isGreaterThanOrEqualTo(11);
      assertThat(latency.getMaxValue()).isGreaterThanOrEqualTo(300_000 - 1_000);
    } finally {
      server.stop(0);
      worker.shutdownNow();
    }
  }
}
