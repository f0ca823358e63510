package dev.traceinsights.harness;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A client of the Zipkin v2 query API, which both Zipkin and SkyWalking ({@code /zipkin/api/v2/})
 * serve: traces by id, by service and by tag.
 */
public final class ZipkinApi {

  private static final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final TypeReference<List<ZipkinSpan>> SPANS = new TypeReference<>() {};
  private static final TypeReference<List<List<ZipkinSpan>>> TRACES = new TypeReference<>() {};

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  /** {@code base} ends in {@code /api/v2/}, e.g. {@link TraceBackend#zipkinApi()}. */
  public ZipkinApi(URI base) {
    this.base = base;
  }

  /** The trace with this id, or empty if the backend has none of its spans (yet). */
  public Optional<ZipkinTrace> trace(String traceId) {
    HttpResponse<String> response = get("trace/" + traceId);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    List<ZipkinSpan> spans = parse(response, SPANS);
    return spans.isEmpty() ? Optional.empty() : Optional.of(new ZipkinTrace(spans));
  }

  /** Recent traces in which {@code serviceName} took part, newest first. */
  public List<ZipkinTrace> traces(String serviceName, Duration lookback, int limit) {
    return traces(serviceName, null, lookback, limit);
  }

  /**
   * Recent traces of {@code serviceName} with a span tagged {@code key=value} (Zipkin's {@code
   * annotationQuery}; SkyWalking answers it only for its configured searchable tags).
   */
  public List<ZipkinTrace> tracesWithTag(
      String serviceName, String key, String value, Duration lookback, int limit) {
    return traces(serviceName, key + "=" + value, lookback, limit);
  }

  private List<ZipkinTrace> traces(
      String serviceName, String annotationQuery, Duration lookback, int limit) {
    StringBuilder query =
        new StringBuilder("traces?serviceName=")
            .append(encode(serviceName))
            .append("&endTs=")
            .append(System.currentTimeMillis())
            .append("&lookback=")
            .append(lookback.toMillis())
            .append("&limit=")
            .append(limit);
    if (annotationQuery != null) {
      query.append("&annotationQuery=").append(encode(annotationQuery));
    }
    return parse(get(query.toString()), TRACES).stream().map(ZipkinTrace::new).toList();
  }

  public List<String> services() {
    return parse(get("services"), new TypeReference<List<String>>() {});
  }

  /**
   * Polls until the trace exists and {@code complete} holds for it (spans are exported
   * asynchronously), for at most {@code timeout}.
   */
  public ZipkinTrace awaitTrace(
      String traceId, String description, Predicate<ZipkinTrace> complete, Duration timeout) {
    return await("trace " + traceId + " " + description)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(() -> trace(traceId), found -> found.isPresent() && complete.test(found.get()))
        .orElseThrow();
  }

  private HttpResponse<String> get(String relative) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(relative))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: GET " + request.uri(), e);
    }
  }

  private static <T> T parse(HttpResponse<String> response, TypeReference<T> type) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + response.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("unexpected answer from " + response.uri(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ZipkinApi{" + base + "}";
  }
}
