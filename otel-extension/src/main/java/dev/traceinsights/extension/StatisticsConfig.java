package dev.traceinsights.extension;

import dev.traceinsights.internal.DurationText;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.stats.LiveStatisticsBuilder;
import java.time.Duration;

/** The {@code traceinsights.stats.*}, {@code health.*} and {@code recent.*} keys. */
record StatisticsConfig(
    boolean enabled,
    Duration window,
    int maxOperations,
    Duration slow,
    Duration critical,
    double errorRateWarning,
    double errorRateCritical,
    Duration recentTtl,
    int recentMaxTraces,
    long recentMaxBytes,
    int samplesPerWindow) {

  static final String ENABLED = "traceinsights.stats.enabled";
  static final String WINDOW = "traceinsights.stats.window";
  static final String MAX_OPERATIONS = "traceinsights.stats.max-operations";
  static final String HEALTH_SLOW = "traceinsights.health.slow";
  static final String HEALTH_CRITICAL = "traceinsights.health.critical";
  static final String ERROR_RATE_WARNING = "traceinsights.health.error-rate.warning";
  static final String ERROR_RATE_CRITICAL = "traceinsights.health.error-rate.critical";
  static final String RECENT_TTL = "traceinsights.recent.ttl";
  static final String RECENT_MAX_TRACES = "traceinsights.recent.max-traces";
  static final String RECENT_MAX_BYTES = "traceinsights.recent.max-bytes";
  static final String SAMPLES_PER_WINDOW = "traceinsights.stats.samples-per-window";

  static StatisticsConfig read(ConfigReader reader) {
    Duration slow =
        reader.duration(HEALTH_SLOW, LiveStatisticsBuilder.DEFAULT_SLOW_THRESHOLD, false);
    Duration critical =
        reader.duration(
            HEALTH_CRITICAL, LiveStatisticsBuilder.DEFAULT_CRITICAL_LATENCY_THRESHOLD, false);
    if (critical.compareTo(slow) < 0) {
      reader.reject(
          HEALTH_CRITICAL
              + "="
              + DurationText.format(critical)
              + " must not be below "
              + HEALTH_SLOW
              + "="
              + DurationText.format(slow)
              + "; using the defaults");
      slow = LiveStatisticsBuilder.DEFAULT_SLOW_THRESHOLD;
      critical = LiveStatisticsBuilder.DEFAULT_CRITICAL_LATENCY_THRESHOLD;
    }
    double warning =
        reader.doubleIn(ERROR_RATE_WARNING, LiveStatisticsBuilder.DEFAULT_ERROR_RATE_WARNING, 0, 1);
    double criticalRate =
        reader.doubleIn(
            ERROR_RATE_CRITICAL, LiveStatisticsBuilder.DEFAULT_ERROR_RATE_CRITICAL, 0, 1);
    if (criticalRate < warning) {
      reader.reject(
          ERROR_RATE_CRITICAL
              + "="
              + criticalRate
              + " must not be below "
              + ERROR_RATE_WARNING
              + "="
              + warning
              + "; using the defaults");
      warning = LiveStatisticsBuilder.DEFAULT_ERROR_RATE_WARNING;
      criticalRate = LiveStatisticsBuilder.DEFAULT_ERROR_RATE_CRITICAL;
    }
    return new StatisticsConfig(
        reader.bool(ENABLED, true),
        reader.duration(WINDOW, LiveStatisticsBuilder.DEFAULT_WINDOW, false),
        reader.intAtLeast(MAX_OPERATIONS, LiveStatisticsBuilder.DEFAULT_MAX_OPERATIONS, 1),
        slow,
        critical,
        warning,
        criticalRate,
        reader.duration(RECENT_TTL, LiveStatisticsBuilder.DEFAULT_RECENT_TRACE_TTL, false),
        // Off under the agent: LiveStatistics#recentTraces is for code that holds the statistics,
        // and no application code can reach the agent's copy, so keeping analyses would only cost
        // heap (up to recent.max-bytes) and an estimate per trace.
        reader.intAtLeast(RECENT_MAX_TRACES, 0, 0),
        reader.byteSize(RECENT_MAX_BYTES, LiveStatisticsBuilder.DEFAULT_MAX_RECENT_TRACE_BYTES),
        reader.intAtLeast(SAMPLES_PER_WINDOW, LiveStatisticsBuilder.DEFAULT_SAMPLES_PER_WINDOW, 0));
  }

  LiveStatistics toStatistics() {
    return LiveStatistics.builder()
        .setWindow(window)
        .setMaxOperations(maxOperations)
        .setLatencyThresholds(slow, critical)
        .setErrorRateThresholds(errorRateWarning, errorRateCritical)
        .setRecentTraceLimits(recentTtl, recentMaxTraces, recentMaxBytes)
        .setSamplesPerWindow(samplesPerWindow)
        .build();
  }
}
