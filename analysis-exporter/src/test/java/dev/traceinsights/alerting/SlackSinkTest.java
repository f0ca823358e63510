package dev.traceinsights.alerting;

import static dev.traceinsights.alerting.TestEvents.regression;
import static dev.traceinsights.alerting.TestEvents.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.traceinsights.events.EventStatus;
import dev.traceinsights.events.EventType;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack incoming-webhook messages, received by a real server and checked against Slack's limits.
 */
class SlackSinkTest {

  private ReceivingServer slack;
  private SlackSink sink;

  @BeforeEach
  void start() throws IOException {
    slack = ReceivingServer.start();
    sink = SlackSink.builder(slack.uri("/services/T0001/B0001/s3cr3tT0k3n")).build();
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void oneFiringEvent_headerFieldsAndTraces() {
    InsightEvent event = regression("GET /orders", Severity.HIGH);

    DeliveryResult result = sink.deliver(List.of(event));

    assertThat(result).isEqualTo(DeliveryResult.delivered());
    ReceivingServer.Request request = slack.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/services/T0001/B0001/s3cr3tT0k3n");
    assertThat(request.header("Content-Type")).startsWith("application/json");
    JsonNode message = request.json();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, message)).isEmpty();

    assertThat(message.get("text").asText())
        .isEqualTo("[HIGH] GET /orders: p50 +31 % (305 ms → 400 ms)");
    JsonNode blocks = message.get("blocks");
    assertThat(types(blocks)).containsExactly("header", "section", "context");
    assertThat(blocks.get(0).at("/text/text").asText())
        .isEqualTo("HIGH: GET /orders: p50 +31 % (305 ms → 400 ms)");
    JsonNode section = blocks.get(1);
    assertThat(section.at("/text/text").asText())
        .isEqualTo("Compare the slow traces' critical paths with the baseline's.");
    assertThat(texts(section.get("fields")))
        .containsExactly(
            "*Severity*\nhigh",
            "*Status*\nfiring",
            "*Service*\nshop",
            "*Operation*\nGET /orders (server)",
            "*p_value*\n4.0E-4",
            "*baseline.p50_ms*\n305.0",
            "*current.p50_ms*\n400.0",
            "*samples*\n1200",
            "*significant*\ntrue",
            "*window*\n1m");
    assertThat(texts(blocks.get(2).get("elements")))
        .containsExactly(
            "Example traces: `4bf92f3577b34da6a3ce929d0e0e4736` `0af7651916cd43dd8448eb211c80319c`",
            "Key: `regression|shop|GET /orders|server`");
  }

  @Test
  void resolvedEvent_markedResolved() {
    sink.deliver(List.of(resolved(regression("GET /orders", Severity.HIGH))));

    JsonNode message = slack.onlyRequest().json();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, message)).isEmpty();
    assertThat(message.get("text").asText()).isEqualTo("[RESOLVED] GET /orders: back to baseline");
    assertThat(message.at("/blocks/0/text/text").asText())
        .isEqualTo("✅ Resolved: GET /orders: back to baseline");
    assertThat(texts(message.at("/blocks/1/fields"))).contains("*Status*\nresolved");
  }

  @Test
  void group_oneMessageListingEachEvent() {
    List<InsightEvent> events =
        List.of(
            regression("GET /a", Severity.HIGH),
            regression("GET /b", Severity.MEDIUM),
            resolved(regression("GET /c", Severity.HIGH)));

    sink.deliver(events);

    JsonNode message = slack.onlyRequest().json();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, message)).isEmpty();
    assertThat(message.get("text").asText())
        .isEqualTo(
            "3 Trace Insights alerts:\n"
                + "[HIGH] GET /a: p50 +31 % (305 ms → 400 ms)\n"
                + "[MEDIUM] GET /b: p50 +31 % (305 ms → 400 ms)\n"
                + "[RESOLVED] GET /c: back to baseline");
    JsonNode blocks = message.get("blocks");
    assertThat(blocks.at("/0/text/text").asText())
        .isEqualTo("3 Trace Insights alerts (1 resolved)");
    assertThat(types(blocks))
        .containsExactly(
            "header", "section", "context", "divider", "section", "context", "divider", "section",
            "context");
    assertThat(blocks.at("/1/text/text").asText())
        .isEqualTo(
            "*[HIGH] GET /a: p50 +31 % (305 ms → 400 ms)*\n"
                + "Compare the slow traces' critical paths with the baseline's.");
    assertThat(blocks.at("/7/text/text").asText())
        .startsWith("*[RESOLVED] GET /c: back to baseline*");
  }

  @Test
  void largeGroupOfLongEvents_staysWithinSlackLimits() {
    List<InsightEvent> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(oversized(i));
    }

    sink.deliver(events);

    JsonNode message = slack.onlyRequest().json();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, message)).isEmpty();
    JsonNode blocks = message.get("blocks");
    assertThat(blocks.size()).isLessThanOrEqualTo(50);
    assertThat(blocks.get(blocks.size() - 1).at("/elements/0/text").asText())
        .isEqualTo("_and 5 more_");
    assertThat(types(blocks).stream().filter("section"::equals).count()).isEqualTo(15);
  }

  @Test
  void oneOversizedEvent_truncatedToLimits() {
    sink.deliver(List.of(oversized(0)));

    JsonNode message = slack.onlyRequest().json();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, message)).isEmpty();
    String header = message.at("/blocks/0/text/text").asText();
    assertThat(header).hasSize(150).endsWith("…");
    // Cut at 3000 characters, or just before an entity the cut would split ("&g…").
    assertThat(message.at("/blocks/1/text/text").asText())
        .hasSizeBetween(2990, 3000)
        .endsWith("this…");
    assertThat(message.at("/blocks/1/fields").size()).isEqualTo(10);
  }

  @Test
  void mrkdwnControlCharacters_escaped_headerLeftPlain() {
    InsightEvent event =
        new InsightEvent(
            EventType.NEW_ERROR,
            EventStatus.FIRING,
            Severity.CRITICAL,
            "shop",
            "GET /<id>",
            "server",
            TestEvents.T0,
            "New error in GET /<id> & co",
            "See <https://evil.example|here>",
            Map.of(),
            List.of(),
            "new_error|shop|GET /<id>|server|fp");

    sink.deliver(List.of(event));

    JsonNode message = slack.onlyRequest().json();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, message)).isEmpty();
    assertThat(message.get("text").asText())
        .isEqualTo("[CRITICAL] New error in GET /&lt;id&gt; &amp; co");
    assertThat(message.at("/blocks/1/text/text").asText())
        .isEqualTo("See &lt;https://evil.example|here&gt;");
    assertThat(message.at("/blocks/0/text/text").asText())
        .isEqualTo("CRITICAL: New error in GET /<id> & co");
    // No trace ids: the context holds the key only.
    assertThat(message.at("/blocks/2/elements").size()).isEqualTo(1);
  }

  @Test
  void schema_rejectsWhatSlackRejects() {
    ObjectNode longHeader = tree(SlackMessage.of(List.of(regression("GET /a", Severity.HIGH))));
    ((ObjectNode) longHeader.at("/blocks/0/text")).put("text", "x".repeat(151));
    ObjectNode elevenFields = tree(SlackMessage.of(List.of(regression("GET /a", Severity.HIGH))));
    ((com.fasterxml.jackson.databind.node.ArrayNode) elevenFields.at("/blocks/1/fields"))
        .addObject()
        .put("type", "mrkdwn")
        .put("text", "eleventh");
    ObjectNode typo = tree(SlackMessage.of(List.of(regression("GET /a", Severity.HIGH))));
    ((ObjectNode) typo.at("/blocks/1")).put("txt", "x");
    ObjectNode empty = tree(AlertJson.object());

    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, longHeader)).isNotEmpty();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, elevenFields)).isNotEmpty();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, typo)).isNotEmpty();
    assertThat(JsonSchemas.violations(JsonSchemas.SLACK, empty)).isNotEmpty();
  }

  private static InsightEvent oversized(int i) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    IntStream.range(0, 15).forEach(k -> evidence.put("metric_" + k, "v".repeat(3000)));
    return new InsightEvent(
        EventType.ANOMALY,
        EventStatus.FIRING,
        Severity.HIGH,
        "shop",
        "GET /" + i + "x".repeat(400),
        "server",
        TestEvents.T0,
        i + " " + "slow & ".repeat(100),
        "check <this> ".repeat(500),
        evidence,
        List.of(TestEvents.TRACE_1),
        "anomaly|shop|" + i);
  }

  /** {@code payload} as Slack parses it from the bytes sent. */
  private static ObjectNode tree(Map<String, Object> payload) {
    try {
      return (ObjectNode) new ObjectMapper().readTree(AlertJson.bytes(payload));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> types(JsonNode blocks) {
    return StreamSupport.stream(blocks.spliterator(), false)
        .map(b -> b.get("type").asText())
        .toList();
  }

  private static List<String> texts(JsonNode textObjects) {
    return StreamSupport.stream(textObjects.spliterator(), false)
        .map(t -> t.get("text").asText())
        .toList();
  }
}
