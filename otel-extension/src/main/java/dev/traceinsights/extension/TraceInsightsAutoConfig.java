package dev.traceinsights.extension;

import dev.traceinsights.TraceInsightsSpanProcessor;
import dev.traceinsights.TraceInsightsSpanProcessorBuilder;
import dev.traceinsights.alerting.AlertRouter;
import dev.traceinsights.capture.SpanCaptureProcessor;
import dev.traceinsights.detection.LiveDetection;
import dev.traceinsights.events.InsightEventListener;
import dev.traceinsights.stats.LiveStatistics;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.AutoConfigureListener;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Wires Trace Insights into the javaagent's (or any autoconfigured) SDK: a {@link
 * SpanCaptureProcessor} on every span, and a {@link TraceInsightsSpanProcessor} in front of each
 * exporting processor the agent built, so whatever exporter is configured receives analysed spans.
 *
 * <p>Nothing here may fail the agent's start-up: any error is logged and leaves the SDK as it would
 * have been without the extension.
 */
public final class TraceInsightsAutoConfig
    implements AutoConfigurationCustomizerProvider, AutoConfigureListener {

  private static final Logger logger = Logger.getLogger(TraceInsightsAutoConfig.class.getName());

  /** How long shutdown waits for alerts still queued. */
  private static final long SHUTDOWN_SECONDS = 5;

  /**
   * The processors built for this SDK. Their metrics are registered once the SDK, and with it the
   * MeterProvider, exists: the span processor customizer runs before that.
   */
  private final List<TraceInsightsSpanProcessor> processors = new CopyOnWriteArrayList<>();

  @Nullable private volatile LiveStatistics statistics;

  private final ConfigOnce config = new ConfigOnce();

  @Override
  public void customize(AutoConfigurationCustomizer autoConfiguration) {
    autoConfiguration.addTracerProviderCustomizer(
        (builder, properties) -> addCapture(builder, config.get(properties)));
    autoConfiguration.addSamplerCustomizer(
        (sampler, properties) -> recordAll(sampler, config.get(properties)));
    autoConfiguration.addSpanProcessorCustomizer(
        (processor, properties) -> wrap(processor, config.get(properties)));
  }

  @Override
  public void afterAutoConfigure(OpenTelemetrySdk sdk) {
    try {
      // With several exporters the agent builds several processors; their counters would collide
      // under the same names, so the first one speaks for all.
      if (!processors.isEmpty()) {
        processors.get(0).registerMetrics(sdk.getMeterProvider());
      }
      LiveStatistics liveStatistics = statistics;
      if (liveStatistics != null) {
        liveStatistics.registerMetrics(sdk.getMeterProvider());
      }
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "Trace Insights: metrics disabled after an error", e);
    }
    LiveStatistics liveStatistics = statistics;
    TraceInsightsConfig settings = config.current();
    if (settings != null) {
      logger.info(settings.startupLine(version()));
    }
    if (liveStatistics != null && settings != null && settings.detection().enabled()) {
      startDetection(sdk, liveStatistics, settings);
    }
  }

  /**
   * Detection over the live statistics, its events routed to the configured destinations, the log
   * records through the SDK's LoggerProvider (the agent's logs exporter ships them). Both stop at
   * JVM shutdown, when the captured baseline, if asked for, is written.
   */
  private static void startDetection(
      OpenTelemetrySdk sdk, LiveStatistics liveStatistics, TraceInsightsConfig settings) {
    try {
      Consumer<String> warnings = logger::warning;
      AlertRouter router = settings.alerting().toRouter(sdk.getLogsBridge(), warnings);
      InsightEventListener listener = router != null ? router : event -> {};
      LiveDetection detection =
          settings.detection().toDetection(liveStatistics, listener, warnings).start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    detection.shutdown();
                    if (router != null) {
                      router.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
                    }
                  },
                  "traceinsights-shutdown"));
      logger.fine("Trace Insights: " + detection + ", alerts " + settings.alerting());
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "Trace Insights: detection disabled after an error", e);
    }
  }

  /** This jar's version, from the properties file the build writes into it. */
  static String version() {
    try (InputStream in = TraceInsightsAutoConfig.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "(unknown version)");
      }
    } catch (IOException | RuntimeException e) {
      logger.log(Level.FINE, "Trace Insights: version unknown", e);
    }
    return "(unknown version)";
  }

  private static SdkTracerProviderBuilder addCapture(
      SdkTracerProviderBuilder builder, TraceInsightsConfig config) {
    try {
      if (config.enabled() && config.capturesAnything()) {
        builder.addSpanProcessor(
            SpanCaptureProcessor.builder()
                .setCaptureAllocations(config.captureAllocations())
                .setCaptureCpuTime(config.captureCpuTime())
                .setCaptureThreadName(config.captureThreadName())
                .build());
      }
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "Trace Insights: span capture disabled after an error", e);
    }
    return builder;
  }

  private static Sampler recordAll(Sampler sampler, TraceInsightsConfig config) {
    if (!config.enabled()) {
      return sampler;
    }
    try {
      return SamplerConfig.maybeRecordAll(sampler, config.recordAll());
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "Trace Insights: record-all sampling disabled after an error", e);
      return sampler;
    }
  }

  private SpanProcessor wrap(SpanProcessor processor, TraceInsightsConfig config) {
    if (!config.enabled()) {
      return processor;
    }
    try {
      TraceInsightsSpanProcessorBuilder builder =
          TraceInsightsSpanProcessor.builder(processor)
              .setAnalysisSettings(config.analysisSettings())
              .setAssemblyLimits(config.assemblyLimits())
              .setQueueSize(config.queueSize())
              .setAttributeLevel(config.attributeLevel())
              .setMinAllocatedBytes(config.minAllocatedBytes());
      if (config.tail().enabled()) {
        builder.setTailSampler(config.tail().toSampler());
      }
      // Statistics belong to the first processor only: with several exporters the agent builds
      // several processors, each seeing every span, and counting them twice would be wrong.
      LiveStatistics statistics = null;
      if (config.statistics().enabled() && processors.isEmpty()) {
        statistics = config.statistics().toStatistics();
        builder.setLiveStatistics(statistics);
      }
      TraceInsightsSpanProcessor wrapped = builder.build();
      processors.add(wrapped);
      if (statistics != null) {
        this.statistics = statistics;
      }
      return wrapped;
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "Trace Insights: analysis disabled after an error", e);
      return processor;
    }
  }

  /** Reads the configuration on first use, so each bad value is reported exactly once. */
  private static final class ConfigOnce {
    @Nullable private TraceInsightsConfig config;

    synchronized TraceInsightsConfig get(ConfigProperties properties) {
      if (config == null) {
        config = TraceInsightsConfig.read(properties, message -> logger.warning(message));
      }
      return config;
    }

    /** The configuration once a customizer has read it, else null. */
    @Nullable
    synchronized TraceInsightsConfig current() {
      return config;
    }
  }
}
