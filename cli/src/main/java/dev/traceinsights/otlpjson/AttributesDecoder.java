package dev.traceinsights.otlpjson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns OTLP {@code KeyValue} lists into {@link Attributes}.
 *
 * <p>Scalars keep their type; an {@code arrayValue} whose elements are all strings, all booleans,
 * all integers or all doubles becomes the matching typed array attribute. Everything else an OTel
 * attribute cannot hold (maps, byte arrays, mixed or nested arrays, empty values) becomes a string,
 * following the specification's "AnyValue representation for non-OTLP protocols": maps and arrays
 * as compact JSON, bytes as their base64 text, an empty value as the empty string.
 */
final class AttributesDecoder {

  /** The value of an AnyValue without a value: proto3's "empty" AnyValue. */
  private static final Object EMPTY = new Object();

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AttributesDecoder() {}

  /** Decodes the {@code KeyValue} array field {@code camelName} of {@code owner}. */
  static Attributes decode(LocatedJson owner, String camelName) {
    List<LocatedJson> keyValues = owner.arrayField(camelName);
    if (keyValues.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder attributes = Attributes.builder();
    for (LocatedJson keyValue : keyValues) {
      keyValue.requireObject();
      String key = keyValue.requiredField("key").asString();
      LocatedJson value = keyValue.field("value");
      put(attributes, key, value == null ? EMPTY : decodeAnyValue(value));
    }
    return attributes.build();
  }

  private static void put(AttributesBuilder attributes, String key, Object value) {
    if (value instanceof String string) {
      attributes.put(key, string);
    } else if (value instanceof Boolean bool) {
      attributes.put(key, bool);
    } else if (value instanceof Long number) {
      attributes.put(key, number);
    } else if (value instanceof Double number) {
      attributes.put(key, number);
    } else if (value instanceof Base64Bytes bytes) {
      attributes.put(key, bytes.base64());
    } else if (value == EMPTY) {
      attributes.put(key, "");
    } else if (value instanceof List<?> list) {
      putArray(attributes, key, list);
    } else {
      attributes.put(key, toJson(value).toString());
    }
  }

  @SuppressWarnings("unchecked") // each cast is guarded by the element class check before it
  private static void putArray(AttributesBuilder attributes, String key, List<?> elements) {
    Class<?> elementClass = homogeneousClass(elements);
    if (elementClass == String.class || elements.isEmpty()) {
      attributes.put(AttributeKey.stringArrayKey(key), (List<String>) elements);
    } else if (elementClass == Boolean.class) {
      attributes.put(AttributeKey.booleanArrayKey(key), (List<Boolean>) elements);
    } else if (elementClass == Long.class) {
      attributes.put(AttributeKey.longArrayKey(key), (List<Long>) elements);
    } else if (elementClass == Double.class) {
      attributes.put(AttributeKey.doubleArrayKey(key), (List<Double>) elements);
    } else {
      attributes.put(key, toJson(elements).toString());
    }
  }

  private static Class<?> homogeneousClass(List<?> elements) {
    Class<?> elementClass = null;
    for (Object element : elements) {
      if (elementClass == null) {
        elementClass = element.getClass();
      } else if (element.getClass() != elementClass) {
        return Object.class;
      }
    }
    return elementClass == null ? Object.class : elementClass;
  }

  /**
   * Decodes an AnyValue into String, Boolean, Long, Double, {@link Base64Bytes}, a List, a Map or
   * {@link #EMPTY}. Only the first value field present counts, as for a proto oneof.
   */
  private static Object decodeAnyValue(LocatedJson anyValue) {
    anyValue.requireObject();
    LocatedJson value = anyValue.field("stringValue");
    if (value != null) {
      return value.asString();
    }
    value = anyValue.field("boolValue");
    if (value != null) {
      return value.asBoolean();
    }
    value = anyValue.field("intValue");
    if (value != null) {
      return value.asLong(false);
    }
    value = anyValue.field("doubleValue");
    if (value != null) {
      return value.asDouble();
    }
    value = anyValue.field("arrayValue");
    if (value != null) {
      List<LocatedJson> elements = value.requireObject().arrayField("values");
      List<Object> decoded = new ArrayList<>(elements.size());
      for (LocatedJson element : elements) {
        decoded.add(decodeAnyValue(element));
      }
      return decoded;
    }
    value = anyValue.field("kvlistValue");
    if (value != null) {
      Map<String, Object> decoded = new LinkedHashMap<>();
      for (LocatedJson keyValue : value.requireObject().arrayField("values")) {
        keyValue.requireObject();
        String key = keyValue.requiredField("key").asString();
        LocatedJson entryValue = keyValue.field("value");
        decoded.put(key, entryValue == null ? EMPTY : decodeAnyValue(entryValue));
      }
      return decoded;
    }
    value = anyValue.field("bytesValue");
    if (value != null) {
      return new Base64Bytes(value.asString());
    }
    return EMPTY;
  }

  private static JsonNode toJson(Object value) {
    if (value instanceof String string) {
      return JSON.textNode(string);
    }
    if (value instanceof Boolean bool) {
      return JSON.booleanNode(bool);
    }
    if (value instanceof Long number) {
      return JSON.numberNode(number);
    }
    if (value instanceof Double number) {
      // JSON has no NaN or infinities; proto3 JSON writes them as strings.
      return number.isNaN() || number.isInfinite()
          ? JSON.textNode(number.toString())
          : JSON.numberNode(number);
    }
    if (value instanceof Base64Bytes bytes) {
      return JSON.textNode(bytes.base64());
    }
    if (value instanceof List<?> list) {
      ArrayNode array = JSON.arrayNode(list.size());
      for (Object element : list) {
        array.add(toJson(element));
      }
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = JSON.objectNode();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        object.set((String) entry.getKey(), toJson(entry.getValue()));
      }
      return object;
    }
    return JSON.nullNode();
  }

  /** A {@code bytesValue}, kept in the base64 text it is written in. */
  private record Base64Bytes(String base64) {}
}
