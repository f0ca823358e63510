package dev.traceinsights.demo;

import dev.traceinsights.demo.frontend.FrontendService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls every frontend scenario once per round, a round every few seconds, until stopped: the
 * traffic generator of jaeger-compose. Runs without the agent; connection failures (the frontend
 * still starting) are printed and retried next round.
 */
final class TrafficGenerator {

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI frontend;

  private TrafficGenerator(URI frontend) {
    this.frontend = frontend;
  }

  /** Starts rounds every {@code intervalSeconds}; returns the scheduler (stop it to end). */
  static ScheduledExecutorService start(URI frontend, long intervalSeconds) {
    TrafficGenerator generator = new TrafficGenerator(frontend);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    scheduler.scheduleWithFixedDelay(generator::round, 0, intervalSeconds, TimeUnit.SECONDS);
    return scheduler;
  }

  private void round() {
    StringBuilder line = new StringBuilder("round:");
    for (String path : FrontendService.SCENARIO_PATHS) {
      line.append(' ').append(path).append('=');
      try {
        HttpRequest request =
            HttpRequest.newBuilder(frontend.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        line.append(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
      } catch (IOException e) {
        line.append("unreachable");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    System.out.println(line);
  }
}
