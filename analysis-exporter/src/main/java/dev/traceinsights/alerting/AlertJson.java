package dev.traceinsights.alerting;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the JSON sinks share: payloads as maps and lists, timestamps, typed evidence, length limits.
 *
 * <p>A payload is a {@link LinkedHashMap} (a JSON object, keys in insertion order) of strings,
 * longs, doubles, booleans, nested maps and {@link List}s, written by jackson-jr.
 */
final class AlertJson {

  private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

  private AlertJson() {}

  /** An empty JSON object whose fields keep the order they are put in. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  /** A new empty object put into {@code parent} under {@code key}. */
  static Map<String, Object> putObject(Map<String, Object> parent, String key) {
    Map<String, Object> child = object();
    parent.put(key, child);
    return child;
  }

  /** A new empty array put into {@code parent} under {@code key}. */
  static List<Object> putArray(Map<String, Object> parent, String key) {
    List<Object> array = new ArrayList<>();
    parent.put(key, array);
    return array;
  }

  /** A new empty object added to {@code array}. */
  static Map<String, Object> addObject(List<Object> array) {
    Map<String, Object> child = object();
    array.add(child);
    return child;
  }

  /** RFC 3339 / ISO-8601 in UTC with the nanoseconds kept, e.g. {@code 2025-01-02T03:04:05.5Z}. */
  static String timestamp(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos).toString();
  }

  /** Evidence as a JSON object, values keeping their types. */
  static Map<String, Object> evidence(Map<String, Object> evidence) {
    Map<String, Object> node = object();
    evidence.forEach((key, value) -> put(node, key, value));
    return node;
  }

  /** Puts an evidence value: String, Long, Double or Boolean. */
  static void put(Map<String, Object> node, String key, Object value) {
    if (value instanceof Long l) {
      node.put(key, l);
    } else if (value instanceof Double d) {
      // JSON has no NaN or infinities; they would be bare tokens no parser accepts.
      if (d.isNaN() || d.isInfinite()) {
        node.put(key, d.toString());
      } else {
        node.put(key, d);
      }
    } else if (value instanceof Boolean b) {
      node.put(key, b);
    } else {
      node.put(key, String.valueOf(value));
    }
  }

  /** {@code json}, a payload of maps, lists, strings, numbers and booleans, as UTF-8 JSON. */
  static byte[] bytes(Map<String, Object> json) {
    try {
      return WRITER.asBytes(json);
    } catch (IOException e) {
      // A tree of strings, numbers and booleans always serializes.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code text} cut to at most {@code maxChars} UTF-16 chars, ending in "…" when cut, and never
   * between the two halves of a surrogate pair (so also at most {@code maxChars} code points).
   */
  static String truncate(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars - 1;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + '…';
  }
}
