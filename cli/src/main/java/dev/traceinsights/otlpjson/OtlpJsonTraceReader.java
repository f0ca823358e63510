package dev.traceinsights.otlpjson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads spans from OTLP-JSON: the JSON encoding of {@code ExportTraceServiceRequest} used by
 * OTLP/HTTP and written by the OpenTelemetry Collector's file exporter. An input holds one request
 * (possibly pretty-printed) or several, one per line (JSON Lines); in fact any sequence of requests
 * separated by white space. Gzip-compressed input is decompressed on the fly.
 *
 * <p>Errors are the user's, and reported as such: an {@link OtlpJsonException} whose message names
 * the input and the place (line and column for JSON syntax, the JSON path for a wrong shape or a
 * bad id). Stateless and thread-safe.
 */
public final class OtlpJsonTraceReader {

  // Jackson reports where a marker started as "[Source: ...; line: 1, column: 2]"; our messages
  // name the source themselves.
  private static final Pattern JACKSON_SOURCE =
      Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]");

  private final ObjectMapper mapper = JsonMapper.builder().build();

  private OtlpJsonTraceReader() {}

  public static OtlpJsonTraceReader create() {
    return new OtlpJsonTraceReader();
  }

  /**
   * All spans of {@code file}, in the order they appear.
   *
   * @throws IOException when the file cannot be read (e.g. {@link
   *     java.nio.file.NoSuchFileException})
   * @throws OtlpJsonException when the content is not OTLP-JSON traces; the source is {@code
   *     file.toString()}
   */
  public List<SpanData> readSpans(Path file) throws IOException {
    requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      return readSpans(in, file.toString());
    }
  }

  /**
   * All spans of {@code in}, in the order they appear. Does not close {@code in}.
   *
   * @param sourceName names the input in error messages, e.g. a file name
   * @throws OtlpJsonException when the content is not OTLP-JSON traces
   */
  public List<SpanData> readSpans(InputStream in, String sourceName) throws IOException {
    requireNonNull(in, "in");
    requireNonNull(sourceName, "sourceName");
    List<SpanData> spans = new ArrayList<>();
    try (JsonParser parser = mapper.createParser(decompressed(in))) {
      while (true) {
        JsonToken token = nextToken(parser, sourceName);
        if (token == null) {
          return spans;
        }
        JsonLocation start = parser.currentTokenLocation();
        if (token != JsonToken.START_OBJECT) {
          throw new OtlpJsonException(
              sourceName,
              at(start)
                  + ": expected a JSON object (an ExportTraceServiceRequest), found "
                  + describe(token));
        }
        JsonNode request = readTree(parser, sourceName);
        try {
          TraceRequestDecoder.decode(request, spans);
        } catch (RequestShapeException e) {
          throw new OtlpJsonException(
              sourceName, "request at line " + start.getLineNr() + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * Groups spans by trace id: traces in the order their first span appears, each trace's spans in
   * the order given. A trace's spans may come from several requests, lines or files.
   */
  public static Map<String, List<SpanData>> groupByTraceId(Collection<? extends SpanData> spans) {
    Map<String, List<SpanData>> traces = new LinkedHashMap<>();
    for (SpanData span : spans) {
      traces.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>()).add(span);
    }
    traces.replaceAll((id, traceSpans) -> Collections.unmodifiableList(traceSpans));
    return Collections.unmodifiableMap(traces);
  }

  private static InputStream decompressed(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    boolean gzip = first == 0x1f && second == 0x8b;
    return gzip ? new GZIPInputStream(buffered) : buffered;
  }

  private static JsonToken nextToken(JsonParser parser, String sourceName) throws IOException {
    try {
      return parser.nextToken();
    } catch (StreamReadException e) {
      throw notJson(sourceName, e);
    } catch (CharConversionException e) {
      throw new OtlpJsonException(
          sourceName, at(parser.currentLocation()) + ": not valid JSON: " + e.getMessage());
    }
  }

  private JsonNode readTree(JsonParser parser, String sourceName) throws IOException {
    try {
      return mapper.readTree(parser);
    } catch (StreamReadException e) {
      throw notJson(sourceName, e);
    } catch (CharConversionException e) {
      throw new OtlpJsonException(
          sourceName, at(parser.currentLocation()) + ": not valid JSON: " + e.getMessage());
    }
  }

  private static OtlpJsonException notJson(String sourceName, StreamReadException e) {
    String detail = e.getOriginalMessage();
    detail = JACKSON_SOURCE.matcher(detail).replaceAll("[line $1, column $2]");
    detail = detail.replaceAll("\\s*\\R\\s*", " ").trim();
    JsonLocation location = e.getLocation();
    String where = location == null ? "" : at(location) + ": ";
    return new OtlpJsonException(sourceName, where + "not valid JSON: " + detail);
  }

  private static String at(JsonLocation location) {
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.toString();
    }
  }

  @Override
  public String toString() {
    return "OtlpJsonTraceReader{}";
  }
}
