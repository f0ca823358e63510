package dev.traceinsights.extension;

import dev.traceinsights.internal.DurationText;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * Reads {@code traceinsights.*} keys from the agent's configuration (system properties and
 * environment variables) without ever failing: a value that cannot be used produces one line naming
 * the key, the value and what is accepted, and the default is used instead.
 */
final class ConfigReader {

  private final ConfigProperties config;
  private final Consumer<String> warnings;

  ConfigReader(ConfigProperties config, Consumer<String> warnings) {
    this.config = config;
    this.warnings = warnings;
  }

  boolean bool(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    return invalid(key, value, "true or false", defaultValue);
  }

  int intAtLeast(String key, int defaultValue, int min) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return invalid(key, value, "an integer >= " + min, defaultValue);
  }

  /** A number in [{@code min}, {@code max}]. */
  double doubleIn(String key, double defaultValue, double min, double max) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return invalid(key, value, "a number from " + min + " to " + max, defaultValue);
  }

  /** A number greater than {@code min}. */
  double doubleAbove(String key, double defaultValue, double min) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed > min && parsed < Double.POSITIVE_INFINITY) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return invalid(key, value, "a number greater than " + min, defaultValue);
  }

  /**
   * A comma-separated list of names out of {@code accepted} (case-insensitive); the whole list is
   * rejected if one name is unknown.
   */
  <E extends Enum<E>> Set<E> enumSet(String key, Set<E> defaultValue, Map<String, E> accepted) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    Set<E> result = new LinkedHashSet<>();
    for (String name : value.split(",", -1)) {
      E parsed = accepted.get(name.trim().toLowerCase(Locale.ROOT));
      if (parsed == null) {
        return invalid(
            key,
            value,
            "a comma-separated list of " + String.join(", ", accepted.keySet()),
            defaultValue);
      }
      result.add(parsed);
    }
    return result;
  }

  /** A duration such as {@code 200ms}, {@code 5s} or {@code 2m}; a bare number is milliseconds. */
  Duration duration(String key, Duration defaultValue, boolean zeroAllowed) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      Duration parsed = config.getDuration(key);
      if (parsed != null && !parsed.isNegative() && (zeroAllowed || !parsed.isZero())) {
        return parsed;
      }
    } catch (ConfigurationException | ArithmeticException e) {
      // reported below
    }
    return invalid(
        key,
        value,
        (zeroAllowed ? "a non-negative" : "a positive")
            + " duration such as 200ms, 5s or 2m (a bare number is milliseconds)",
        defaultValue);
  }

  /** A size in bytes, optionally with a unit: {@code 1048576}, {@code 512KB}, {@code 64MB}. */
  long byteSize(String key, long defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    String normalized = value.trim().toUpperCase(Locale.ROOT);
    long multiplier = 1;
    if (normalized.endsWith("KB")) {
      multiplier = 1024;
    } else if (normalized.endsWith("MB")) {
      multiplier = 1024 * 1024;
    } else if (normalized.endsWith("GB")) {
      multiplier = 1024 * 1024 * 1024;
    }
    String number =
        multiplier == 1 ? normalized : normalized.substring(0, normalized.length() - 2).trim();
    try {
      long parsed = Math.multiplyExact(Long.parseLong(number), multiplier);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    return invalid(
        key, value, "a positive size in bytes, optionally with KB, MB or GB", defaultValue);
  }

  /**
   * One of a fixed set of values: {@code parse} returns null for a value outside it, and {@code
   * accepted} lists the set in the warning.
   */
  <T> T choice(String key, T defaultValue, Function<String, T> parse, String accepted) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    T parsed = parse.apply(value);
    return parsed != null ? parsed : invalid(key, value, accepted, defaultValue);
  }

  /** The trimmed value, or null when the key is not set. No validation. */
  @Nullable
  String string(String key) {
    return raw(key);
  }

  /**
   * An absolute http or https URL, or null when the key is not set or the value is not one. The
   * value is never repeated in the warning: webhook URLs carry their credentials.
   */
  @Nullable
  URI httpUrl(String key) {
    String value = raw(key);
    if (value == null) {
      return null;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() != null
          && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, without the value
    }
    warnings.accept(
        "Trace Insights: invalid value for "
            + key
            + ": expected an absolute http or https URL (value not shown: it may hold a secret);"
            + " this destination is off");
    return null;
  }

  /** Reports a value that is valid on its own but not together with others. */
  void reject(String message) {
    warnings.accept("Trace Insights: " + message);
  }

  private String raw(String key) {
    String value = config.getString(key);
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }

  private <T> T invalid(String key, String value, String accepted, T defaultValue) {
    warnings.accept(
        "Trace Insights: invalid value '"
            + value
            + "' for "
            + key
            + ": expected "
            + accepted
            + "; using the default "
            + (defaultValue instanceof Duration d ? DurationText.format(d) : defaultValue));
    return defaultValue;
  }
}
