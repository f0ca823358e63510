package dev.traceinsights.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding attributes and events the way the two backends actually deliver them. */
class ZipkinSpanTest {

  @Test
  void arrayAttributesAreCommaJoinedByBothBackends() {
    assertThat(ZipkinSpan.parseList("0f2d6c1a9b3e4d5f,a1b2c3d4e5f60718"))
        .containsExactly("0f2d6c1a9b3e4d5f", "a1b2c3d4e5f60718");
    assertThat(ZipkinSpan.parseList("0f2d6c1a9b3e4d5f")).containsExactly("0f2d6c1a9b3e4d5f");
    assertThat(ZipkinSpan.parseList("")).isEmpty();
  }

  @Test
  void jsonArraysAreReadToo() {
    assertThat(ZipkinSpan.parseList("[\"0f2d6c1a9b3e4d5f\",\"a1b2c3d4e5f60718\"]"))
        .containsExactly("0f2d6c1a9b3e4d5f", "a1b2c3d4e5f60718");
  }

  @Test
  void zipkinExporterEventWithUnescapedStackTrace() {
    // What the agent's zipkin exporter sent for a recorded exception (control characters raw).
    String annotation =
        "\"exception\":{\"exception.type\":\"java.lang.IllegalStateException\","
            + "\"exception.message\":\"card declined\","
            + "\"exception.stacktrace\":\"java.lang.IllegalStateException: card declined\n\tat"
            + " a.B.c(B.java:8)\n\"}";
    ZipkinSpan.Event event = ZipkinSpan.decodeEvent(annotation);
    assertThat(event.name()).isEqualTo("exception");
    assertThat(event.attributes())
        .containsEntry("exception.type", "java.lang.IllegalStateException")
        .containsEntry("exception.message", "card declined");
  }

  @Test
  void skyWalkingEvent() {
    String annotation =
        "exception|{\"exception.type\":\"java.lang.IllegalStateException\","
            + "\"exception.message\":\"card declined\"}|0";
    ZipkinSpan.Event event = ZipkinSpan.decodeEvent(annotation);
    assertThat(event.name()).isEqualTo("exception");
    assertThat(event.attributes())
        .containsEntry("exception.type", "java.lang.IllegalStateException");
  }

  @Test
  void eventWithoutAttributes() {
    assertThat(ZipkinSpan.decodeEvent("cache.miss"))
        .isEqualTo(new ZipkinSpan.Event("cache.miss", Map.of()));
  }

  @Test
  void errorStatusInEitherSpelling() {
    assertThat(span(Map.of("otel.status_code", "ERROR", "error", "")).isError()).isTrue();
    assertThat(span(Map.of("otel.status_code", "STATUS_CODE_ERROR", "error", "true")).isError())
        .isTrue();
    assertThat(span(Map.of("otel.status_code", "OK")).isError()).isFalse();
  }

  @Test
  void typedTags() {
    ZipkinSpan span =
        span(
            Map.of(
                "traceinsights.span.bottleneck", "true",
                "traceinsights.span.self_time_ns", "1200"));
    assertThat(span.booleanTag("traceinsights.span.bottleneck")).isTrue();
    assertThat(span.booleanTag("traceinsights.span.root_cause")).isFalse();
    assertThat(span.longTag("traceinsights.span.self_time_ns")).contains(1200L);
    assertThat(span.listTag("absent")).isEmpty();
  }

  private static ZipkinSpan span(Map<String, String> tags) {
    return new ZipkinSpan(
        "t", "s", null, "get", "SERVER", 0, 1, new ZipkinSpan.Endpoint("svc"), tags, List.of());
  }
}
