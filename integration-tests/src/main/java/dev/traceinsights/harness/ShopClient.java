package dev.traceinsights.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/** Drives the demo's frontend, one {@link Scenario} per request. */
public final class ShopClient {

  private static final SecureRandom random = new SecureRandom();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI frontend;

  public ShopClient(URI frontend) {
    this.frontend = frontend;
  }

  /** The outcome of one request: the HTTP status, and the trace id if the client chose one. */
  public record Call(Scenario scenario, int status, String body, String traceId) {}

  /**
   * Calls {@code scenario} as a traced upstream would: with a sampled W3C {@code traceparent} whose
   * trace id is fresh, so the resulting trace can be fetched by id from any backend.
   */
  public Call callTraced(Scenario scenario) {
    return callTraced(scenario, true);
  }

  /**
   * Like {@link #callTraced(Scenario)}, with the upstream's sampling decision: {@code sampled =
   * false} is an upstream that recorded the request but decided not to export it.
   */
  public Call callTraced(Scenario scenario, boolean sampled) {
    String traceId = randomHex(16);
    String traceparent = "00-" + traceId + "-" + randomHex(8) + (sampled ? "-01" : "-00");
    return send(scenario, traceparent, traceId);
  }

  /** Calls {@code scenario} as an untraced user would: the frontend starts the trace. */
  public Call call(Scenario scenario) {
    return send(scenario, null, null);
  }

  private Call send(Scenario scenario, String traceparent, String traceId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(frontend.resolve(scenario.path()))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Call(scenario, response.statusCode(), response.body().strip(), traceId);
    } catch (IOException e) {
      throw new UncheckedIOException("calling " + scenario + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + scenario, e);
    }
  }

  private static String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    do {
      random.nextBytes(value);
    } while (isAllZero(value)); // an all-zero id is invalid in W3C trace context
    return HexFormat.of().formatHex(value);
  }

  private static boolean isAllZero(byte[] value) {
    for (byte b : value) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
