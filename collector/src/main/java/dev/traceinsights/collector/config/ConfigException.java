package dev.traceinsights.collector.config;

/** A configuration value the collector cannot use: the message names the key and what it takes. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  static ConfigException invalid(String key, String value, String accepted) {
    return new ConfigException(key + ": '" + value + "' is not accepted; expected " + accepted);
  }
}
