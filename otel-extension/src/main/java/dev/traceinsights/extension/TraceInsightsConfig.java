package dev.traceinsights.extension;

import dev.traceinsights.TraceInsightsSpanProcessorBuilder;
import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.internal.DurationText;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The extension's settings, read once from the agent's configuration. Every key and default is
 * listed in the README; keep the two in step.
 */
record TraceInsightsConfig(
    boolean enabled,
    boolean captureAllocations,
    boolean captureCpuTime,
    boolean captureThreadName,
    AssemblyLimits assemblyLimits,
    int queueSize,
    AttributeLevel attributeLevel,
    long minAllocatedBytes,
    AnalysisSettings analysisSettings,
    boolean recordAll,
    TailSamplingConfig tail,
    StatisticsConfig statistics,
    DetectionConfig detection,
    AlertingConfig alerting) {

  static final String ENABLED = "traceinsights.enabled";
  static final String CAPTURE_ALLOCATIONS = "traceinsights.capture.allocations";
  static final String CAPTURE_CPU_TIME = "traceinsights.capture.cpu-time";
  static final String CAPTURE_THREAD_NAME = "traceinsights.capture.thread-name";
  static final String TRACE_GRACE = "traceinsights.trace.grace";
  static final String TRACE_TIMEOUT = "traceinsights.trace.timeout";
  static final String MAX_TRACES = "traceinsights.buffer.max-traces";
  static final String MAX_SPANS_PER_TRACE = "traceinsights.buffer.max-spans-per-trace";
  static final String MAX_BYTES = "traceinsights.buffer.max-bytes";
  static final String QUEUE_SIZE = "traceinsights.queue.size";
  static final String ATTRIBUTES = "traceinsights.attributes";
  static final String MIN_ALLOCATED_BYTES = "traceinsights.attributes.min-allocated-bytes";
  static final String DEPTH_WARNING = "traceinsights.depth.warning";
  static final String DEPTH_CRITICAL = "traceinsights.depth.critical";
  static final String FAN_OUT_WARNING = "traceinsights.fan-out.warning";
  static final String FAN_OUT_CRITICAL = "traceinsights.fan-out.critical";
  static final String N_PLUS_ONE_THRESHOLD = "traceinsights.n-plus-one.threshold";

  /** Reads every key; {@code warnings} receives one line per unusable value. Never throws. */
  static TraceInsightsConfig read(ConfigProperties config, Consumer<String> warnings) {
    ConfigReader reader = new ConfigReader(config, warnings);
    AssemblyLimits limits =
        new AssemblyLimits(
            reader.intAtLeast(MAX_TRACES, AssemblyLimits.DEFAULT_MAX_TRACES, 1),
            reader.intAtLeast(MAX_SPANS_PER_TRACE, AssemblyLimits.DEFAULT_MAX_SPANS_PER_TRACE, 1),
            reader.byteSize(MAX_BYTES, AssemblyLimits.DEFAULT_MAX_BYTES),
            reader.duration(TRACE_GRACE, AssemblyLimits.DEFAULT_GRACE, true),
            reader.duration(TRACE_TIMEOUT, AssemblyLimits.DEFAULT_TRACE_TIMEOUT, false),
            AssemblyLimits.DEFAULT_REMEMBERED_SPANS);
    StatisticsConfig statistics = StatisticsConfig.read(reader);
    return new TraceInsightsConfig(
        reader.bool(ENABLED, true),
        reader.bool(CAPTURE_ALLOCATIONS, true),
        reader.bool(CAPTURE_CPU_TIME, false),
        reader.bool(CAPTURE_THREAD_NAME, true),
        limits,
        reader.intAtLeast(QUEUE_SIZE, TraceInsightsSpanProcessorBuilder.DEFAULT_QUEUE_SIZE, 1),
        reader.choice(
            ATTRIBUTES,
            AttributeLevel.DEFAULT,
            AttributeLevel::fromConfigValue,
            "minimal, standard or full"),
        reader.byteSize(
            MIN_ALLOCATED_BYTES, TraceInsightsSpanProcessorBuilder.DEFAULT_MIN_ALLOCATED_BYTES),
        analysisSettings(reader),
        reader.bool(SamplerConfig.RECORD_ALL, false),
        TailSamplingConfig.read(reader),
        statistics,
        DetectionConfig.read(reader, statistics.slow()),
        AlertingConfig.read(reader));
  }

  private static AnalysisSettings analysisSettings(ConfigReader reader) {
    AnalysisSettings defaults = AnalysisSettings.defaults();
    int[] depth =
        thresholds(
            reader,
            DEPTH_WARNING,
            defaults.depthWarning(),
            DEPTH_CRITICAL,
            defaults.depthCritical());
    int[] fanOut =
        thresholds(
            reader,
            FAN_OUT_WARNING,
            defaults.fanOutWarning(),
            FAN_OUT_CRITICAL,
            defaults.fanOutCritical());
    return new AnalysisSettings(
        depth[0],
        depth[1],
        fanOut[0],
        fanOut[1],
        reader.intAtLeast(N_PLUS_ONE_THRESHOLD, defaults.nPlusOneThreshold(), 2));
  }

  /** A warning and a critical threshold; both defaults when critical would be below warning. */
  private static int[] thresholds(
      ConfigReader reader,
      String warningKey,
      int defaultWarning,
      String criticalKey,
      int defaultCritical) {
    int warning = reader.intAtLeast(warningKey, defaultWarning, 1);
    int critical = reader.intAtLeast(criticalKey, defaultCritical, 1);
    if (critical >= warning) {
      return new int[] {warning, critical};
    }
    reader.reject(
        criticalKey
            + "="
            + critical
            + " must not be below "
            + warningKey
            + "="
            + warning
            + "; using the defaults "
            + defaultWarning
            + " and "
            + defaultCritical);
    return new int[] {defaultWarning, defaultCritical};
  }

  /**
   * The one INFO line logged at start-up, so that an operator can tell from the log that the
   * extension loaded and what it does: version and every feature on or off, destinations by name.
   */
  String startupLine(String version) {
    StringBuilder line = new StringBuilder("Trace Insights ").append(version).append(" loaded: ");
    if (!enabled) {
      return line.append("off (").append(ENABLED).append("=false)").toString();
    }
    line.append("analysis on (attributes=")
        .append(attributeLevel)
        .append(", grace=")
        .append(DurationText.format(assemblyLimits.grace()))
        .append("), capture ");
    List<String> captured = new ArrayList<>();
    if (captureAllocations) {
      captured.add("allocations");
    }
    if (captureCpuTime) {
      captured.add("cpu-time");
    }
    if (captureThreadName) {
      captured.add("thread-name");
    }
    line.append(captured.isEmpty() ? "off" : String.join(", ", captured));
    line.append(", tail decisions ").append(tail.enabled() ? "on" : "off");
    if (recordAll) {
      line.append(" (record-all)");
    }
    line.append(", statistics ");
    if (statistics.enabled()) {
      line.append("on (window ").append(DurationText.format(statistics.window())).append(')');
    } else {
      line.append("off");
    }
    line.append(", detection ");
    if (statistics.enabled() && detection.enabled()) {
      List<String> detectors = new ArrayList<>(List.of("regression"));
      if (detection.anomalies()) {
        detectors.add("anomalies");
      }
      if (detection.trends()) {
        detectors.add("trends");
      }
      line.append("on (").append(String.join(", ", detectors)).append(')');
      line.append(", alerts ").append(alerting.destinations());
    } else {
      line.append("off");
    }
    return line.toString();
  }

  /** Whether anything has to run on application threads at span start or end. */
  boolean capturesAnything() {
    return captureAllocations || captureCpuTime || captureThreadName;
  }
}
