package dev.traceinsights.collector.config;

import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.internal.DurationText;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.Nullable;

/**
 * The collector's whole configuration, read from dotted keys (see {@link ConfigSource}). Sections
 * and key names follow the OpenTelemetry Collector's where it has the same setting ({@code
 * receivers.otlp.grpc.endpoint}, {@code sending_queue.queue_size}, {@code
 * extensions.health_check.endpoint}); every key is listed in the README. Unknown keys are errors,
 * as in the Collector: a misspelt key must not silently fall back to a default.
 *
 * @param grpcEndpoint null when the OTLP/gRPC receiver is off ({@code none})
 * @param httpEndpoint null when the OTLP/HTTP receiver is off
 * @param metricsEndpoint null when the Prometheus endpoint is off
 * @param metricsPush null unless the collector's own metrics also go to an OTLP endpoint
 * @param healthEndpoint null when the health endpoint is off
 */
public record CollectorConfig(
    @Nullable HostPort grpcEndpoint,
    int grpcMaxMessageBytes,
    @Nullable HostPort httpEndpoint,
    int httpMaxBodyBytes,
    ProcessorConfig processor,
    List<ExporterConfig> exporters,
    @Nullable HostPort metricsEndpoint,
    @Nullable MetricsPush metricsPush,
    @Nullable HostPort healthEndpoint,
    Duration shutdownTimeout) {

  public CollectorConfig {
    exporters = List.copyOf(exporters);
  }

  /**
   * What the whole-trace processor does.
   *
   * @param quietPeriod how long a trace that looks complete waits for stragglers
   * @param upstreamWait how long a trace waits whose entry span names a caller that is not traced
   * @param timeout when a trace that never looks complete is decided anyway, marked incomplete
   */
  public record ProcessorConfig(
      boolean enabled,
      AttributeLevel attributeLevel,
      Duration quietPeriod,
      Duration upstreamWait,
      Duration timeout,
      int maxTraces,
      int maxSpansPerTrace,
      long maxBytes,
      int decisionCacheSize,
      boolean tailEnabled,
      boolean tailKeepErrors,
      boolean tailKeepNPlusOne,
      Duration tailSlowThreshold,
      double tailSlowPercentile,
      int tailRareThreshold,
      double tailProbability,
      double tailMaxKeptPerSecond,
      Duration statisticsWindow,
      boolean detectionEnabled,
      @Nullable URI webhookUrl,
      @Nullable String webhookSecret) {

    @Override
    public String toString() {
      // The webhook's secret (and a URL's credentials) stay out of logs.
      return "ProcessorConfig{enabled="
          + enabled
          + ", attributes="
          + attributeLevel
          + ", tail="
          + tailEnabled
          + ", detection="
          + detectionEnabled
          + ", webhook="
          + (webhookUrl != null)
          + "}";
    }
  }

  /**
   * The collector's own metrics pushed over OTLP, beside the Prometheus endpoint.
   *
   * @param protocol {@code grpc} or {@code http/protobuf}
   */
  public record MetricsPush(URI endpoint, String protocol, Duration interval) {}

  private static final String METRICS_OTLP = "service.telemetry.metrics.otlp.";

  private static final String GRPC = "receivers.otlp.grpc.";
  private static final String HTTP = "receivers.otlp.http.";
  private static final String PROCESSOR = "processors.traceinsights.";

  /** Reads and checks every key; the first bad value throws, naming its key. */
  public static CollectorConfig from(Map<String, String> keys) {
    Reader r = new Reader(keys);
    HostPort grpc = r.endpoint(GRPC + "endpoint", "localhost:4317");
    int grpcMax = r.mebibytes(GRPC + "max_recv_msg_size_mib", 4);
    HostPort http = r.endpoint(HTTP + "endpoint", "localhost:4318");
    int httpMax = r.mebibytes(HTTP + "max_request_body_size_mib", 20);
    ProcessorConfig processor =
        new ProcessorConfig(
            r.bool(PROCESSOR + "enabled", true),
            r.attributeLevel(PROCESSOR + "attributes"),
            r.duration(PROCESSOR + "decision.quiet_period", "1s"),
            r.duration(PROCESSOR + "decision.upstream_wait", "5s"),
            r.duration(PROCESSOR + "decision.timeout", "30s"),
            r.positiveInt(PROCESSOR + "buffer.max_traces", 50_000),
            r.positiveInt(PROCESSOR + "buffer.max_spans_per_trace", 10_000),
            (long) r.mebibytes(PROCESSOR + "buffer.max_size_mib", 256),
            r.positiveInt(PROCESSOR + "decision_cache.size", 100_000),
            r.bool(PROCESSOR + "tail.enabled", true),
            r.bool(PROCESSOR + "tail.keep_errors", true),
            r.bool(PROCESSOR + "tail.keep_n_plus_one", true),
            r.duration(PROCESSOR + "tail.slow_threshold", "1s"),
            r.percentile(PROCESSOR + "tail.slow_percentile", 99),
            r.nonNegativeInt(PROCESSOR + "tail.rare_threshold", 5),
            r.fraction(PROCESSOR + "tail.probability", 0),
            r.nonNegativeDouble(PROCESSOR + "tail.max_kept_per_second", 100),
            r.duration(PROCESSOR + "statistics.window", "60s"),
            r.bool(PROCESSOR + "detection.enabled", true),
            r.url("alerts.webhook.url"),
            r.secret("alerts.webhook.secret"));
    List<ExporterConfig> exporters = new ArrayList<>();
    ExporterConfig otlp = r.exporter("otlp", Set.of("grpc", "http/protobuf", "http/json"), "grpc");
    if (otlp != null) {
      exporters.add(otlp);
    }
    ExporterConfig zipkin = r.exporter("zipkin", Set.of("http/json"), "http/json");
    if (zipkin != null) {
      exporters.add(zipkin);
    }
    HostPort metrics = r.endpoint("service.telemetry.metrics.endpoint", "localhost:8888");
    URI pushEndpoint = r.url(METRICS_OTLP + "endpoint");
    String pushProtocol = r.get(METRICS_OTLP + "protocol");
    Duration pushInterval = r.duration(METRICS_OTLP + "interval", "60s");
    MetricsPush push = null;
    if (pushEndpoint != null) {
      String protocol = pushProtocol == null || pushProtocol.isEmpty() ? "grpc" : pushProtocol;
      if (!protocol.equals("grpc") && !protocol.equals("http/protobuf")) {
        throw ConfigException.invalid(METRICS_OTLP + "protocol", protocol, "grpc or http/protobuf");
      }
      if (pushInterval.isZero()) {
        throw ConfigException.invalid(
            METRICS_OTLP + "interval", "0", "a duration above 0, such as 60s");
      }
      push = new MetricsPush(pushEndpoint, protocol, pushInterval);
    }
    HostPort health = r.endpoint("extensions.health_check.endpoint", "localhost:13133");
    Duration shutdown = r.duration("service.shutdown_timeout", "10s");
    r.rejectUnknown();
    if (exporters.isEmpty()) {
      throw new ConfigException(
          "exporters: none configured; set exporters.otlp.endpoint (for example"
              + " --set exporters.otlp.endpoint=http://jaeger:4317) or exporters.zipkin.endpoint");
    }
    if (grpc == null && http == null) {
      throw new ConfigException(
          "receivers.otlp: both receivers are off (none); enable receivers.otlp.grpc.endpoint or"
              + " receivers.otlp.http.endpoint");
    }
    return new CollectorConfig(
        grpc, grpcMax, http, httpMax, processor, exporters, metrics, push, health, shutdown);
  }

  /** Typed reads that remember which keys were read, so that the rest can be reported. */
  private static final class Reader {
    private final Map<String, String> keys;
    private final Set<String> read = new HashSet<>();

    Reader(Map<String, String> keys) {
      this.keys = keys;
    }

    @Nullable
    private String get(String key) {
      read.add(key);
      String value = keys.get(key);
      return value == null ? null : value.trim();
    }

    @Nullable
    HostPort endpoint(String key, String defaultValue) {
      String value = get(key);
      String text = value == null || value.isEmpty() ? defaultValue : value;
      return text.equalsIgnoreCase("none") ? null : HostPort.parse(key, text);
    }

    int mebibytes(String key, int defaultValue) {
      int mib = positiveInt(key, defaultValue);
      if (mib > 1024 * 1024) {
        throw ConfigException.invalid(key, keys.get(key), "a whole number of MiB up to 1048576");
      }
      return mib > Integer.MAX_VALUE / (1024 * 1024) ? Integer.MAX_VALUE : mib * 1024 * 1024;
    }

    int positiveInt(String key, int defaultValue) {
      String value = get(key);
      if (value == null || value.isEmpty()) {
        return defaultValue;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed > 0) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw ConfigException.invalid(key, value, "a whole number above 0");
    }

    @Nullable
    URI url(String key) {
      String value = get(key);
      if (value == null || value.isEmpty()) {
        return null;
      }
      URI uri = httpUrl(value);
      if (uri == null) {
        // Not the value itself: a webhook URL often holds a token.
        throw new ConfigException(key + ": not accepted; expected an http:// or https:// URL");
      }
      return uri;
    }

    @Nullable
    String secret(String key) {
      String value = get(key);
      return value == null || value.isEmpty() ? null : value;
    }

    int nonNegativeInt(String key, int defaultValue) {
      String value = get(key);
      if (value == null || value.isEmpty()) {
        return defaultValue;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed >= 0) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw ConfigException.invalid(key, value, "a whole number of 0 or more");
    }

    /** 0 (off) or a percentile below 100. */
    double percentile(String key, double defaultValue) {
      double parsed = nonNegativeDouble(key, defaultValue);
      if (parsed >= 100) {
        throw ConfigException.invalid(key, keys.get(key), "0 (off) or a number below 100");
      }
      return parsed;
    }

    boolean bool(String key, boolean defaultValue) {
      String value = get(key);
      if (value == null || value.isEmpty()) {
        return defaultValue;
      }
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw ConfigException.invalid(key, value, "true or false");
      };
    }

    Duration duration(String key, String defaultValue) {
      String value = get(key);
      String text = value == null || value.isEmpty() ? defaultValue : value;
      Duration parsed = DurationText.parse(text);
      if (parsed == null || parsed.isNegative()) {
        throw ConfigException.invalid(key, text, "a duration such as 200ms, 30s or 5m");
      }
      return parsed;
    }

    double fraction(String key, double defaultValue) {
      double parsed = nonNegativeDouble(key, defaultValue);
      if (parsed > 1) {
        throw ConfigException.invalid(key, keys.get(key), "a number from 0 to 1");
      }
      return parsed;
    }

    double nonNegativeDouble(String key, double defaultValue) {
      String value = get(key);
      if (value == null || value.isEmpty()) {
        return defaultValue;
      }
      try {
        double parsed = Double.parseDouble(value);
        if (parsed >= 0 && Double.isFinite(parsed)) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw ConfigException.invalid(key, value, "a number of 0 or more");
    }

    AttributeLevel attributeLevel(String key) {
      String value = get(key);
      if (value == null || value.isEmpty()) {
        return AttributeLevel.STANDARD;
      }
      for (AttributeLevel level : AttributeLevel.values()) {
        if (level.name().equalsIgnoreCase(value)) {
          return level;
        }
      }
      throw ConfigException.invalid(key, value, "minimal, standard or full");
    }

    @Nullable
    ExporterConfig exporter(String name, Set<String> protocols, String defaultProtocol) {
      String prefix = "exporters." + name + ".";
      String endpoint = get(prefix + "endpoint");
      String protocol = get(prefix + "protocol");
      Duration timeout = duration(prefix + "timeout", "10s");
      String compression = get(prefix + "compression");
      int queueSize = positiveInt(prefix + "sending_queue.queue_size", 100_000);
      int batchSize = positiveInt(prefix + "sending_queue.batch_size", 512);
      Duration maxElapsed = duration(prefix + "retry_on_failure.max_elapsed_time", "5m");
      Map<String, String> headers = new LinkedHashMap<>();
      String headerPrefix = prefix + "headers.";
      for (Map.Entry<String, String> entry : keys.entrySet()) {
        if (entry.getKey().startsWith(headerPrefix)) {
          read.add(entry.getKey());
          headers.put(entry.getKey().substring(headerPrefix.length()), entry.getValue());
        }
      }
      if (endpoint == null || endpoint.isEmpty()) {
        return null;
      }
      String chosen = protocol == null || protocol.isEmpty() ? defaultProtocol : protocol;
      if (!protocols.contains(chosen)) {
        throw ConfigException.invalid(
            prefix + "protocol", chosen, String.join(", ", new TreeSet<>(protocols)));
      }
      URI uri = httpUrl(endpoint);
      if (uri == null) {
        throw ConfigException.invalid(
            prefix + "endpoint", endpoint, "an http:// or https:// URL with a host");
      }
      boolean gzip;
      if (compression == null || compression.isEmpty() || compression.equals("gzip")) {
        gzip = true;
      } else if (compression.equals("none")) {
        gzip = false;
      } else {
        throw ConfigException.invalid(prefix + "compression", compression, "gzip or none");
      }
      return new ExporterConfig(
          name, uri, chosen, timeout, gzip, headers, queueSize, batchSize, maxElapsed);
    }

    /** {@code value} as an http or https URL with a host, or null when it is not one. */
    @Nullable
    private static URI httpUrl(String value) {
      try {
        URI uri = URI.create(value);
        boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        return http && uri.getHost() != null ? uri : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    void rejectUnknown() {
      List<String> unknown = new ArrayList<>();
      for (String key : keys.keySet()) {
        if (!read.contains(key)) {
          unknown.add(key);
        }
      }
      if (!unknown.isEmpty()) {
        Collections.sort(unknown);
        throw new ConfigException(
            unknown.get(0)
                + ": unknown key"
                + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "")
                + "; the README lists the keys the collector takes");
      }
    }
  }
}
