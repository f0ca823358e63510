package dev.traceinsights.alerting;

import static dev.traceinsights.alerting.TestEvents.regression;
import static dev.traceinsights.alerting.TestEvents.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PagerDuty Events API v2 requests, received by a real server and checked against the contract. */
class PagerDutySinkTest {

  private static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";

  private ReceivingServer pagerDuty;
  private PagerDutySink sink;

  @BeforeEach
  void start() throws IOException {
    pagerDuty =
        ReceivingServer.start(
            202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k\"}");
    sink = PagerDutySink.builder(ROUTING_KEY).setEndpoint(pagerDuty.uri("/v2/enqueue")).build();
  }

  @AfterEach
  void stop() {
    pagerDuty.close();
  }

  @Test
  void firing_triggerWithPayload() {
    InsightEvent event = regression("GET /orders", Severity.CRITICAL);

    assertThat(sink.deliver(List.of(event))).isEqualTo(DeliveryResult.delivered());

    ReceivingServer.Request request = pagerDuty.onlyRequest();
    assertThat(request.path()).isEqualTo("/v2/enqueue");
    JsonNode body = request.json();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, body)).isEmpty();
    assertThat(body.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(body.get("event_action").asText()).isEqualTo("trigger");
    assertThat(body.get("dedup_key").asText()).isEqualTo("regression|shop|GET /orders|server");
    JsonNode payload = body.get("payload");
    assertThat(payload.get("summary").asText())
        .isEqualTo("GET /orders: p50 +31 % (305 ms → 400 ms)");
    assertThat(payload.get("source").asText()).isEqualTo("shop");
    assertThat(payload.get("severity").asText()).isEqualTo("critical");
    assertThat(payload.get("timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123456789Z");
    assertThat(payload.get("component").asText()).isEqualTo("GET /orders");
    assertThat(payload.get("group").asText()).isEqualTo("shop");
    assertThat(payload.get("class").asText()).isEqualTo("regression");
    JsonNode details = payload.get("custom_details");
    assertThat(details.get("p_value").isDouble()).isTrue();
    assertThat(details.get("p_value").asDouble()).isEqualTo(0.0004);
    assertThat(details.get("samples").isIntegralNumber()).isTrue();
    assertThat(details.get("significant").isBoolean()).isTrue();
    assertThat(details.get("window").asText()).isEqualTo("1m");
    assertThat(details.get("recommendation").asText()).startsWith("Compare the slow traces'");
    assertThat(details.get("example_trace_ids").get(0).asText()).isEqualTo(TestEvents.TRACE_1);
  }

  @Test
  void resolved_onlyRoutingKeyActionAndDedupKey() {
    sink.deliver(List.of(resolved(regression("GET /orders", Severity.CRITICAL))));

    JsonNode body = pagerDuty.onlyRequest().json();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, body)).isEmpty();
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("routing_key", "event_action", "dedup_key");
    assertThat(body.get("event_action").asText()).isEqualTo("resolve");
    assertThat(body.get("dedup_key").asText()).isEqualTo("regression|shop|GET /orders|server");
  }

  @ParameterizedTest
  @CsvSource({"CRITICAL,critical", "HIGH,error", "MEDIUM,warning", "LOW,info"})
  void severityMapping(Severity ours, String theirs) {
    sink.deliver(List.of(regression("GET /orders", ours)));

    JsonNode body = pagerDuty.onlyRequest().json();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, body)).isEmpty();
    assertThat(body.at("/payload/severity").asText()).isEqualTo(theirs);
  }

  @Test
  void longKeyAndSummary_fitPagerDutysLimits_resolveMatchesTrigger() {
    String operation = "GET /" + "segment/".repeat(60);
    InsightEvent event =
        new InsightEvent(
            EventType.TREND,
            EventStatus.FIRING,
            Severity.HIGH,
            "",
            operation,
            "server",
            TestEvents.T0,
            "t".repeat(2000),
            "",
            Map.of(),
            List.of(),
            InsightEvent.dedupKey(EventType.TREND, "", operation, "server"));

    sink.deliver(List.of(event));
    sink.deliver(List.of(event.resolved(TestEvents.T0 + 1, "ok")));

    List<ReceivingServer.Request> requests = pagerDuty.requests();
    JsonNode trigger = requests.get(0).json();
    JsonNode resolve = requests.get(1).json();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, trigger)).isEmpty();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, resolve)).isEmpty();
    String dedupKey = trigger.get("dedup_key").asText();
    assertThat(dedupKey).hasSize(255).startsWith("trend||GET /segment/").contains("#");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo(dedupKey);
    assertThat(trigger.at("/payload/summary").asText()).hasSize(1024).endsWith("…");
    // About no service: a neutral source, no group.
    assertThat(trigger.at("/payload/source").asText()).isEqualTo("trace-insights");
    assertThat(trigger.at("/payload").has("group")).isFalse();
    // Distinct long keys stay distinct.
    assertThat(PagerDutySink.dedupKey(dedupKey + "x"))
        .isNotEqualTo(PagerDutySink.dedupKey(dedupKey + "y"));
  }

  @Test
  void notSupportingGrouping() {
    assertThat(sink.supportsGrouping()).isFalse();
  }

  @Test
  void schema_rejectsWhatPagerDutyRejects() {
    ObjectNode noPayload = tree(sink.payload(regression("GET /a", Severity.HIGH)));
    noPayload.remove("payload");
    ObjectNode badSeverity = tree(sink.payload(regression("GET /a", Severity.HIGH)));
    ((ObjectNode) badSeverity.get("payload")).put("severity", "high");
    ObjectNode resolveWithoutKey =
        tree(sink.payload(resolved(regression("GET /a", Severity.HIGH))));
    resolveWithoutKey.remove("dedup_key");
    ObjectNode badTimestamp = tree(sink.payload(regression("GET /a", Severity.HIGH)));
    ((ObjectNode) badTimestamp.get("payload")).put("timestamp", "yesterday");

    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, noPayload)).isNotEmpty();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, badSeverity)).isNotEmpty();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, resolveWithoutKey)).isNotEmpty();
    assertThat(JsonSchemas.violations(JsonSchemas.PAGERDUTY, badTimestamp)).isNotEmpty();
  }

  @Test
  void builder_validates() {
    assertThatThrownBy(() -> PagerDutySink.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("routingKey must not be blank");
    assertThatThrownBy(
            () -> PagerDutySink.builder(ROUTING_KEY).setEndpoint(URI.create("ftp://x/y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint must be an absolute http(s) URL with a host, got ftp://x/***");
  }

  /** {@code payload} as PagerDuty parses it from the bytes sent. */
  private static ObjectNode tree(Map<String, Object> payload) {
    try {
      return (ObjectNode) new ObjectMapper().readTree(AlertJson.bytes(payload));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
