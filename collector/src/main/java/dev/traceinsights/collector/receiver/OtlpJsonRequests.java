package dev.traceinsights.collector.receiver;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OTLP/JSON trace requests. The OTLP JSON encoding is protobuf's JSON mapping with two exceptions:
 * trace and span ids are hex strings, not base64, and enums are integers (which the mapping accepts
 * too). So ids are rewritten to base64 and the rest is left to protobuf's own parser, which ignores
 * unknown fields as the specification asks of receivers.
 */
public final class OtlpJsonRequests {

  /** Bounded nesting: a deeply nested body must not exhaust the stack of a receiver thread. */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(64).build())
                  .build())
          .build();

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private OtlpJsonRequests() {}

  public static ExportTraceServiceRequest parse(byte[] body) throws InvalidRequestException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new InvalidRequestException("the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidRequestException("the body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException("the body is not a JSON object");
    }
    for (JsonNode resourceSpans : root.path("resourceSpans")) {
      for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
        for (JsonNode span : scopeSpans.path("spans")) {
          rewriteIds(span, "traceId", "spanId", "parentSpanId");
          for (JsonNode link : span.path("links")) {
            rewriteIds(link, "traceId", "spanId");
          }
        }
      }
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(MAPPER.writeValueAsString(root), request);
    } catch (InvalidProtocolBufferException | JacksonException e) {
      throw new InvalidRequestException("not an OTLP trace request: " + e.getMessage());
    }
    return request.build();
  }

  private static void rewriteIds(JsonNode node, String... fields) throws InvalidRequestException {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    for (String field : fields) {
      JsonNode value = object.get(field);
      if (value == null || !value.isTextual()) {
        continue;
      }
      byte[] bytes;
      try {
        bytes = HexFormat.of().parseHex(value.asText());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(field + " is not hex: " + abbreviate(value.asText()));
      }
      object.put(field, Base64.getEncoder().encodeToString(bytes));
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
