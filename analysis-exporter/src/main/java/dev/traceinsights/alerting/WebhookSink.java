package dev.traceinsights.alerting;

import dev.traceinsights.events.InsightEvent;
import io.opentelemetry.sdk.common.Clock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs events as JSON to any HTTP endpoint, signed so that the receiver can tell they are ours.
 * Any 2xx is success; 429 and 5xx are retried by the router, other statuses are not.
 *
 * <h2>Body</h2>
 *
 * One object with an {@code events} array: one event, or several when grouped. Each event:
 *
 * <pre>{@code
 * {"events": [{
 *   "event_name": "traceinsights.regression",      // the OpenTelemetry event name
 *   "type": "regression",                          // regression | improvement | anomaly |
 *                                                  //   new_error | error_spike | trend
 *   "status": "firing",                            // firing | resolved
 *   "severity": "high",                            // low | medium | high | critical
 *   "service": "shop", "operation": "GET /orders", "span_kind": "server",
 *   "time": "2025-01-02T03:04:05.123456789Z",      // when detected, RFC 3339 UTC
 *   "title": "GET /orders: p50 +31 % (305 ms → 400 ms)",
 *   "recommendation": "Compare the slow traces' ...",
 *   "evidence": {"p_value": 0.0004, "baseline.p50_ms": 305.0, "window": "1m"},
 *   "example_trace_ids": ["4bf92f3577b34da6a3ce929d0e0e4736"],
 *   "dedup_key": "regression|shop|GET /orders|server"
 * }]}
 * }</pre>
 *
 * <h2>Signature</h2>
 *
 * With a secret, every request carries {@code X-TraceInsights-Timestamp} (Unix seconds, when sent)
 * and {@code X-TraceInsights-Signature: sha256=<hex>}, the lower-case hex HMAC-SHA256, keyed with
 * the secret's UTF-8 bytes, of the timestamp, a {@code .}, and the raw body bytes. A receiver:
 *
 * <ol>
 *   <li>reads the raw body before parsing it (re-serialized JSON does not verify);
 *   <li>computes the HMAC of {@code timestamp + "." + body} and compares it with the header using a
 *       constant-time comparison ({@code MessageDigest.isEqual});
 *   <li>refuses timestamps more than 5 minutes from its clock, so that a captured request cannot be
 *       replayed later; to refuse replays within the window too, it remembers the signatures it saw
 *       for that long.
 * </ol>
 *
 * Each attempt is signed afresh, so a retry has a new timestamp and signature: to drop duplicate
 * deliveries, use {@code dedup_key} and {@code time}. Without a secret, requests are unsigned.
 *
 * <p>The URL, the secret and extra header values are never shown: only the URL's origin and the
 * header names.
 */
public final class WebhookSink implements AlertSink {

  public static final String TIMESTAMP_HEADER = "X-TraceInsights-Timestamp";
  public static final String SIGNATURE_HEADER = "X-TraceInsights-Signature";

  private final String name;
  private final URI url;
  @Nullable private final SecretKeySpec key;
  private final Map<String, String> headers;
  private final HttpJsonSender sender;
  private final Clock clock;

  WebhookSink(
      String name,
      URI url,
      @Nullable String secret,
      Map<String, String> headers,
      HttpJsonSender sender,
      Clock clock) {
    this.name = name;
    this.url = url;
    this.key =
        secret == null
            ? null
            : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.headers = headers;
    this.sender = sender;
    this.clock = clock;
  }

  public static WebhookSinkBuilder builder(URI url) {
    return new WebhookSinkBuilder(url);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DeliveryResult deliver(List<InsightEvent> events) {
    byte[] body = AlertJson.bytes(payload(events));
    Map<String, String> requestHeaders = new LinkedHashMap<>(headers);
    if (key != null) {
      String timestamp = Long.toString(TimeUnit.NANOSECONDS.toSeconds(clock.now()));
      requestHeaders.put(TIMESTAMP_HEADER, timestamp);
      requestHeaders.put(SIGNATURE_HEADER, "sha256=" + signature(key, timestamp, body));
    }
    return sender.post(body, requestHeaders);
  }

  static Map<String, Object> payload(List<InsightEvent> events) {
    Map<String, Object> payload = AlertJson.object();
    List<Object> array = AlertJson.putArray(payload, "events");
    for (InsightEvent event : events) {
      Map<String, Object> node = AlertJson.addObject(array);
      node.put("event_name", event.type().eventName());
      node.put("type", event.type().label());
      node.put("status", event.status().label());
      node.put("severity", event.severity().label());
      node.put("service", event.service());
      node.put("operation", event.operation());
      node.put("span_kind", event.spanKind());
      node.put("time", AlertJson.timestamp(event.epochNanos()));
      node.put("title", event.title());
      node.put("recommendation", event.recommendation());
      node.put("evidence", AlertJson.evidence(event.evidence()));
      node.put("example_trace_ids", new ArrayList<Object>(event.exampleTraceIds()));
      node.put("dedup_key", event.dedupKey());
    }
    return payload;
  }

  /** Lower-case hex HMAC-SHA256 of {@code timestamp + "." + body}. */
  static String signature(SecretKeySpec key, String timestamp, byte[] body) {
    try {
      // A Mac is not thread-safe, and one per request costs little next to the request itself.
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSink{name="
        + name
        + ", url="
        + Redactor.origin(url)
        + ", signed="
        + (key != null)
        + ", headers="
        + headers.keySet()
        + '}';
  }
}
