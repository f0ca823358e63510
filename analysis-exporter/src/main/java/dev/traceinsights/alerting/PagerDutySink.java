package dev.traceinsights.alerting;

import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Sends PagerDuty Events API v2 events ({@code POST https://events.pagerduty.com/v2/enqueue}). A
 * firing event triggers, a resolved one resolves, both under {@code dedup_key} = the event's {@link
 * InsightEvent#dedupKey()}, so PagerDuty keeps one alert per condition and closes it itself. Never
 * grouped: PagerDuty deduplicates per event.
 *
 * <p>A trigger carries {@code payload}: {@code summary} (the title, at most 1024 chars), {@code
 * source} (the service, or {@code trace-insights} when the event is about none), {@code severity}
 * (critical → {@code critical}, high → {@code error}, medium → {@code warning}, low → {@code
 * info}), {@code timestamp} (ISO-8601), {@code component} (the operation), {@code group} (the
 * service), {@code class} (the event type) and {@code custom_details} (the evidence, plus {@code
 * recommendation} and {@code example_trace_ids} unless the evidence has keys of those names). A
 * resolve carries only {@code routing_key}, {@code event_action} and {@code dedup_key}. PagerDuty
 * answers 202; 400 is a rejection, 429 and 5xx are retried by the router.
 *
 * <p>The routing key is a secret: it is never shown.
 */
public final class PagerDutySink implements AlertSink {

  /** The Events API v2 endpoint (US service region). */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://events.pagerduty.com/v2/enqueue");

  static final int MAX_DEDUP_KEY_CHARS = 255;
  static final int MAX_SUMMARY_CHARS = 1024;
  private static final String NO_SOURCE = "trace-insights";

  private final String name;
  private final URI endpoint;
  private final String routingKey;
  private final HttpJsonSender sender;

  PagerDutySink(String name, URI endpoint, String routingKey, HttpJsonSender sender) {
    this.name = name;
    this.endpoint = endpoint;
    this.routingKey = routingKey;
    this.sender = sender;
  }

  /** A builder for the integration (service) with {@code routingKey}, its 32-character key. */
  public static PagerDutySinkBuilder builder(String routingKey) {
    return new PagerDutySinkBuilder(routingKey);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean supportsGrouping() {
    return false;
  }

  @Override
  public DeliveryResult deliver(List<InsightEvent> events) {
    // The router hands one event at a time (supportsGrouping() is false); be correct regardless.
    for (InsightEvent event : events) {
      DeliveryResult result = sender.post(AlertJson.bytes(payload(event)), Map.of());
      if (result.outcome() != DeliveryResult.Outcome.DELIVERED) {
        return result;
      }
    }
    return DeliveryResult.delivered();
  }

  Map<String, Object> payload(InsightEvent event) {
    Map<String, Object> body = AlertJson.object();
    body.put("routing_key", routingKey);
    body.put("event_action", event.status() == EventStatus.RESOLVED ? "resolve" : "trigger");
    body.put("dedup_key", dedupKey(event.dedupKey()));
    if (event.status() == EventStatus.RESOLVED) {
      return body;
    }
    body.put("client", "Trace Insights");
    Map<String, Object> payload = AlertJson.putObject(body, "payload");
    payload.put("summary", AlertJson.truncate(event.title(), MAX_SUMMARY_CHARS));
    payload.put("source", event.service().isEmpty() ? NO_SOURCE : event.service());
    payload.put("severity", severity(event.severity()));
    payload.put("timestamp", AlertJson.timestamp(event.epochNanos()));
    if (!event.operation().isEmpty()) {
      payload.put("component", event.operation());
    }
    if (!event.service().isEmpty()) {
      payload.put("group", event.service());
    }
    payload.put("class", event.type().label());
    Map<String, Object> details = AlertJson.evidence(event.evidence());
    if (!details.containsKey("recommendation") && !event.recommendation().isEmpty()) {
      details.put("recommendation", event.recommendation());
    }
    if (!details.containsKey("example_trace_ids") && !event.exampleTraceIds().isEmpty()) {
      details.put("example_trace_ids", new ArrayList<Object>(event.exampleTraceIds()));
    }
    payload.put("custom_details", details);
    return body;
  }

  /** PagerDuty's four severities; ours map one to one, high being PagerDuty's {@code error}. */
  static String severity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "critical";
      case HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW -> "info";
    };
  }

  /**
   * {@code key} if it fits PagerDuty's 255 characters; otherwise its start, {@code #} and its
   * SHA-256 in hex, so that long keys stay distinct and a resolve finds its trigger.
   */
  static String dedupKey(String key) {
    if (key.length() <= MAX_DEDUP_KEY_CHARS) {
      return key;
    }
    String hash = HexFormat.of().formatHex(sha256(key.getBytes(StandardCharsets.UTF_8)));
    String start = key.substring(0, MAX_DEDUP_KEY_CHARS - 1 - hash.length());
    if (Character.isHighSurrogate(start.charAt(start.length() - 1))) {
      start = start.substring(0, start.length() - 1);
    }
    return start + '#' + hash;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "PagerDutySink{name="
        + name
        + ", endpoint="
        + (endpoint.equals(DEFAULT_ENDPOINT) ? endpoint : Redactor.origin(endpoint))
        + ", routingKey="
        + Redactor.MASK
        + '}';
  }
}
