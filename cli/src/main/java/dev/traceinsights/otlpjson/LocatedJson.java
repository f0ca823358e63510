package dev.traceinsights.otlpjson;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * A JSON value of a request together with its path in the request ({@code
 * resourceSpans[0].scopeSpans[1].spans[3]}), so that every error can say where it is.
 *
 * <p>Field names are looked up in lowerCamelCase, as OTLP/JSON requires, and then in the proto's
 * snake_case, which some hand-written and older files use. A JSON {@code null} counts as absent,
 * like a proto3 default.
 */
record LocatedJson(JsonNode node, String path) {

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final int MAX_QUOTED_LENGTH = 40;

  static LocatedJson root(JsonNode node) {
    return new LocatedJson(node, "");
  }

  /** The field {@code camelName} (or its snake_case form), null when absent or null. */
  @Nullable
  LocatedJson field(String camelName) {
    String key = camelName;
    JsonNode value = node.get(camelName);
    if (value == null || value.isNull()) {
      key = snakeCase(camelName);
      value = node.get(key);
    }
    if (value == null || value.isNull()) {
      return null;
    }
    return new LocatedJson(value, path.isEmpty() ? key : path + '.' + key);
  }

  LocatedJson requiredField(String camelName) {
    LocatedJson value = field(camelName);
    if (value == null) {
      throw error("missing " + camelName);
    }
    return value;
  }

  /** The elements of the array field {@code camelName}; empty when the field is absent. */
  List<LocatedJson> arrayField(String camelName) {
    LocatedJson array = field(camelName);
    if (array == null) {
      return List.of();
    }
    if (!array.node.isArray()) {
      throw array.error("expected an array, found " + describe(array.node));
    }
    List<LocatedJson> elements = new ArrayList<>(array.node.size());
    for (int i = 0; i < array.node.size(); i++) {
      elements.add(new LocatedJson(array.node.get(i), array.path + '[' + i + ']'));
    }
    return elements;
  }

  /** The object field {@code camelName}, null when absent. */
  @Nullable
  LocatedJson objectField(String camelName) {
    LocatedJson value = field(camelName);
    return value == null ? null : value.requireObject();
  }

  String stringField(String camelName, String defaultValue) {
    LocatedJson value = field(camelName);
    return value == null ? defaultValue : value.asString();
  }

  @Nullable
  String optionalStringField(String camelName) {
    LocatedJson value = field(camelName);
    return value == null ? null : value.asString();
  }

  LocatedJson requireObject() {
    if (!node.isObject()) {
      throw error("expected an object, found " + describe(node));
    }
    return this;
  }

  String asString() {
    if (!node.isTextual()) {
      throw error("expected a string, found " + describe(node));
    }
    return node.textValue();
  }

  boolean asBoolean() {
    if (!node.isBoolean()) {
      throw error("expected true or false, found " + describe(node));
    }
    return node.booleanValue();
  }

  /**
   * A 64-bit integer: proto3 JSON writes them as decimal strings (JavaScript numbers lose precision
   * above 2^53) and accepts numbers too.
   */
  long asLong(boolean unsigned) {
    BigInteger value = integerValue();
    if (value == null) {
      throw error("expected an integer (a number or a decimal string), found " + describe(node));
    }
    if (unsigned && value.signum() < 0) {
      throw error("expected a non-negative integer, found " + describe(node));
    }
    if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
      throw error("integer out of range: " + describe(node));
    }
    return value.longValue();
  }

  /** A 32-bit count or bit field (uint32, fixed32). */
  long asUnsignedInt() {
    long value = asLong(true);
    if (value > 0xFFFF_FFFFL) {
      throw error("integer out of range for 32 bits: " + describe(node));
    }
    return value;
  }

  /** A double: a number, or a string holding a number, {@code NaN}, {@code Infinity}... */
  double asDouble() {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      String text = node.textValue();
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return new BigDecimal(text.trim()).doubleValue();
          } catch (NumberFormatException e) {
            // reported below
          }
      }
    }
    throw error("expected a number, found " + describe(node));
  }

  @Nullable
  private BigInteger integerValue() {
    try {
      if (node.isIntegralNumber()) {
        return node.bigIntegerValue();
      }
      if (node.isNumber()) {
        return node.decimalValue().toBigIntegerExact();
      }
      if (node.isTextual()) {
        return new BigDecimal(node.textValue()).toBigIntegerExact();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // not an integer; the caller reports it
    }
    return null;
  }

  RequestShapeException error(String detail) {
    return new RequestShapeException((path.isEmpty() ? "request" : path) + ": " + detail);
  }

  /** A short description of a value for error messages: its type, and the value if scalar. */
  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "the string " + quote(value.textValue());
    }
    if (value.isNumber()) {
      return "the number " + value.asText();
    }
    if (value.isBoolean()) {
      return value.asText();
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "an array";
    }
    return value.isNull() ? "null" : value.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  static String quote(String text) {
    String shown =
        text.length() > MAX_QUOTED_LENGTH ? text.substring(0, MAX_QUOTED_LENGTH) + "..." : text;
    return '"' + shown + '"';
  }

  static String snakeCase(String camelName) {
    StringBuilder snake = new StringBuilder(camelName.length() + 4);
    for (int i = 0; i < camelName.length(); i++) {
      char c = camelName.charAt(i);
      if (Character.isUpperCase(c)) {
        snake.append('_').append(Character.toLowerCase(c));
      } else {
        snake.append(c);
      }
    }
    return snake.toString();
  }
}
