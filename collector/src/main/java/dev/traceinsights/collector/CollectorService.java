package dev.traceinsights.collector;

import dev.traceinsights.alerting.AlertRouter;
import dev.traceinsights.alerting.WebhookSink;
import dev.traceinsights.alerting.WebhookSinkBuilder;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.collector.analysis.ServiceGraph;
import dev.traceinsights.collector.assembly.BufferLimits;
import dev.traceinsights.collector.assembly.WholeTraceBuffer;
import dev.traceinsights.collector.config.CollectorConfig;
import dev.traceinsights.collector.config.CollectorConfig.ProcessorConfig;
import dev.traceinsights.collector.config.ExporterConfig;
import dev.traceinsights.collector.config.HostPort;
import dev.traceinsights.collector.export.ExportQueue;
import dev.traceinsights.collector.export.SpanExporters;
import dev.traceinsights.collector.receiver.OtlpGrpcReceiver;
import dev.traceinsights.collector.receiver.OtlpHttpReceiver;
import dev.traceinsights.collector.receiver.ReceiverCounters;
import dev.traceinsights.collector.receiver.SpanIntake;
import dev.traceinsights.collector.telemetry.CollectorTelemetry;
import dev.traceinsights.collector.telemetry.EventLog;
import dev.traceinsights.collector.telemetry.HealthServer;
import dev.traceinsights.detection.LiveDetection;
import dev.traceinsights.enrichment.internal.SpanEnricher;
import dev.traceinsights.events.InsightEventListener;
import dev.traceinsights.internal.DurationText;
import dev.traceinsights.stats.LiveStatistics;
import dev.traceinsights.tail.TailSampler;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.Nullable;

/**
 * The collector as a running service, wired from its configuration: receivers, the whole-trace
 * processor, exporters, its own metrics and the health endpoint.
 */
public final class CollectorService implements AutoCloseable {

  private final CollectorConfig config;
  private final WholeTraceProcessor processor;
  private final ReceiverCounters counters;
  private final SdkMeterProvider meterProvider;
  @Nullable private final OtlpGrpcReceiver grpc;
  @Nullable private final OtlpHttpReceiver http;
  @Nullable private final HealthServer health;
  @Nullable private final LiveDetection detection;
  @Nullable private final AlertRouter alerts;
  private final AtomicBoolean stopping;

  private CollectorService(
      CollectorConfig config,
      WholeTraceProcessor processor,
      ReceiverCounters counters,
      SdkMeterProvider meterProvider,
      @Nullable OtlpGrpcReceiver grpc,
      @Nullable OtlpHttpReceiver http,
      @Nullable HealthServer health,
      @Nullable LiveDetection detection,
      @Nullable AlertRouter alerts,
      AtomicBoolean stopping) {
    this.config = config;
    this.processor = processor;
    this.counters = counters;
    this.meterProvider = meterProvider;
    this.grpc = grpc;
    this.http = http;
    this.health = health;
    this.detection = detection;
    this.alerts = alerts;
    this.stopping = stopping;
  }

  /**
   * Starts everything, exporters first and receivers last, so that nothing is received before it
   * can be passed on. A port that cannot be bound stops what was started and throws.
   */
  public static CollectorService start(CollectorConfig config) {
    ProcessorConfig p = config.processor();
    var meterProviderBuilder = SdkMeterProvider.builder();
    HostPort metrics = config.metricsEndpoint();
    if (metrics != null) {
      meterProviderBuilder.registerMetricReader(
          PrometheusHttpServer.builder().setHost(metrics.host()).setPort(metrics.port()).build());
    }
    CollectorConfig.MetricsPush push = config.metricsPush();
    if (push != null) {
      meterProviderBuilder.registerMetricReader(
          PeriodicMetricReader.builder(metricExporter(push)).setInterval(push.interval()).build());
    }
    SdkMeterProvider meterProvider = meterProviderBuilder.build();
    Meter meter = meterProvider.get("dev.traceinsights.collector");
    List<ExportQueue> exports = new ArrayList<>();
    for (ExporterConfig exporter : config.exporters()) {
      exports.add(
          new ExportQueue(
              exporter.name(),
              SpanExporters.create(exporter),
              exporter.queueSize(),
              exporter.batchSize(),
              exporter.maxElapsedTime(),
              exporter.timeout()));
    }
    LiveStatistics statistics =
        LiveStatistics.builder()
            .setWindow(p.statisticsWindow())
            .setMeterProvider(meterProvider)
            .build();
    TailSampler tail =
        p.tailEnabled()
            ? TailSampler.builder()
                // The services sampled at their heads what they sent; the collector decides.
                .setKeepHeadSampled(false)
                .setKeepErrors(p.tailKeepErrors())
                .setKeepNPlusOne(p.tailKeepNPlusOne())
                .setSlowThreshold(p.tailSlowThreshold())
                .setSlowPercentile(p.tailSlowPercentile())
                .setRareThreshold(p.tailRareThreshold())
                .setProbability(p.tailProbability())
                .setMaxKeptPerSecond(p.tailMaxKeptPerSecond())
                .build()
            : null;
    LiveDetection detection = null;
    AlertRouter alerts = null;
    if (p.detectionEnabled()) {
      InsightEventListener listener = new EventLog();
      if (p.webhookUrl() != null) {
        WebhookSinkBuilder webhook = WebhookSink.builder(p.webhookUrl());
        if (p.webhookSecret() != null) {
          webhook.setSecret(p.webhookSecret());
        }
        alerts = AlertRouter.builder().addSink(webhook.build()).build();
        AlertRouter router = alerts;
        InsightEventListener log = listener;
        listener =
            event -> {
              log.onEvent(event);
              router.onEvent(event);
            };
      }
      detection = LiveDetection.builder(statistics).setListener(listener).build().start();
    }
    WholeTraceBuffer buffer =
        new WholeTraceBuffer(
            new BufferLimits(
                p.quietPeriod(),
                p.upstreamWait(),
                p.timeout(),
                p.maxTraces(),
                p.maxSpansPerTrace(),
                p.maxBytes(),
                p.decisionCacheSize()));
    WholeTraceProcessor processor =
        new WholeTraceProcessor(
                buffer,
                TraceAnalyzer.create(),
                SpanEnricher.create(p.attributeLevel(), SpanEnricher.DEFAULT_MIN_ALLOCATED_BYTES),
                tail,
                statistics,
                new ServiceGraph(meter),
                exports,
                Clock.getDefault())
            .start();
    ReceiverCounters counters = new ReceiverCounters();
    CollectorTelemetry.register(meter, counters, processor);
    SpanIntake intake = p.enabled() ? processor : new PassThrough(exports);
    OtlpGrpcReceiver grpc = null;
    OtlpHttpReceiver http = null;
    HealthServer health = null;
    try {
      if (config.grpcEndpoint() != null) {
        grpc =
            OtlpGrpcReceiver.start(
                config.grpcEndpoint(), config.grpcMaxMessageBytes(), intake, counters);
      }
      if (config.httpEndpoint() != null) {
        http =
            OtlpHttpReceiver.start(
                config.httpEndpoint(), config.httpMaxBodyBytes(), intake, counters);
      }
      AtomicBoolean stopping = new AtomicBoolean();
      if (config.healthEndpoint() != null) {
        health = HealthServer.start(config.healthEndpoint(), () -> !stopping.get());
      }
      return new CollectorService(
          config,
          processor,
          counters,
          meterProvider,
          grpc,
          http,
          health,
          detection,
          alerts,
          stopping);
    } catch (IOException e) {
      closeQuietly(grpc);
      closeQuietly(http);
      closeQuietly(health);
      processor.shutdown(java.time.Duration.ofSeconds(1));
      if (detection != null) {
        detection.shutdown();
      }
      if (alerts != null) {
        alerts.shutdown();
      }
      meterProvider.close();
      throw new UncheckedIOException("cannot listen: " + e.getMessage(), e);
    }
  }

  private static MetricExporter metricExporter(CollectorConfig.MetricsPush push) {
    if (push.protocol().equals("http/protobuf")) {
      return OtlpHttpMetricExporter.builder()
          .setEndpoint(SpanExporters.signalUrl(push.endpoint(), "/v1/metrics").toString())
          .build();
    }
    return OtlpGrpcMetricExporter.builder().setEndpoint(push.endpoint().toString()).build();
  }

  /** The one start-up line: what listens where, and where spans go. */
  public String describe() {
    StringJoiner listening = new StringJoiner(", ");
    if (grpc != null) {
      listening.add("OTLP/gRPC " + config.grpcEndpoint().host() + ":" + grpc.port());
    }
    if (http != null) {
      listening.add(
          "OTLP/HTTP http://" + config.httpEndpoint().host() + ":" + http.port() + "/v1/traces");
    }
    if (config.metricsEndpoint() != null) {
      listening.add("metrics http://" + config.metricsEndpoint() + "/metrics");
    }
    if (config.metricsPush() != null) {
      listening.add("metrics pushed over OTLP to " + config.metricsPush().endpoint());
    }
    if (health != null) {
      listening.add("health http://" + config.healthEndpoint().host() + ":" + health.port() + "/");
    }
    ProcessorConfig p = config.processor();
    if (!p.enabled()) {
      return "Trace Insights collector listening on "
          + listening
          + "; exporting to "
          + config.exporters()
          + "; pass-through: no analysis (processors.traceinsights.enabled=false)";
    }
    return "Trace Insights collector listening on "
        + listening
        + "; exporting to "
        + config.exporters()
        + "; attributes "
        + p.attributeLevel().name().toLowerCase(java.util.Locale.ROOT)
        + ", quiet period "
        + DurationText.format(p.quietPeriod())
        + ", timeout "
        + DurationText.format(p.timeout())
        + ", tail decisions "
        + (p.tailEnabled() ? "on" : "off")
        + ", detection "
        + (p.detectionEnabled() ? "on" : "off")
        + (alerts != null ? ", alerts to a webhook" : "");
  }

  public WholeTraceProcessor processor() {
    return processor;
  }

  public ReceiverCounters receiverCounters() {
    return counters;
  }

  /** The bound port of the OTLP/gRPC receiver (useful with port 0), or -1 when it is off. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  /**
   * Stops receiving, decides every buffered trace and exports within the configured shutdown
   * timeout; what cannot be sent in time is counted as dropped.
   */
  @Override
  public void close() {
    stopping.set(true);
    closeQuietly(grpc);
    closeQuietly(http);
    processor.shutdown(config.shutdownTimeout());
    if (detection != null) {
      detection.shutdown().join(5, TimeUnit.SECONDS);
    }
    if (alerts != null) {
      alerts.shutdown().join(5, TimeUnit.SECONDS);
    }
    closeQuietly(health);
    meterProvider.shutdown().join(5, TimeUnit.SECONDS);
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // Shutting down: nothing useful to do with it.
    }
  }
}
