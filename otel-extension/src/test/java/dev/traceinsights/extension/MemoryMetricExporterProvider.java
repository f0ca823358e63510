package dev.traceinsights.extension;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import java.util.Collection;

/** {@code otel.metrics.exporter=memory}: lets tests see what autoconfigured metrics export. */
public final class MemoryMetricExporterProvider implements ConfigurableMetricExporterProvider {

  static final InMemoryMetricExporter EXPORTER = InMemoryMetricExporter.create();

  @Override
  public MetricExporter createExporter(ConfigProperties config) {
    // The shared exporter must outlive each test's SDK, so shutdown is not passed on.
    return new MetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return EXPORTER.export(metrics);
      }

      @Override
      public CompletableResultCode flush() {
        return EXPORTER.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return EXPORTER.getAggregationTemporality(instrumentType);
      }

      @Override
      public MemoryMode getMemoryMode() {
        return MemoryMode.IMMUTABLE_DATA;
      }
    };
  }

  @Override
  public String getName() {
    return "memory";
  }
}
