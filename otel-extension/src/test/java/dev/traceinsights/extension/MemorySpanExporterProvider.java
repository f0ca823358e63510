package dev.traceinsights.extension;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** {@code otel.traces.exporter=memory}: lets tests see what autoconfigured export receives. */
public final class MemorySpanExporterProvider implements ConfigurableSpanExporterProvider {

  static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    return new SpanExporterThatSurvivesShutdown(EXPORTER);
  }

  @Override
  public String getName() {
    return "memory";
  }

  /** The shared exporter must outlive each test's SDK. */
  private static final class SpanExporterThatSurvivesShutdown implements SpanExporter {
    private final SpanExporter delegate;

    SpanExporterThatSurvivesShutdown(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public io.opentelemetry.sdk.common.CompletableResultCode export(
        java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
      return delegate.export(spans);
    }

    @Override
    public io.opentelemetry.sdk.common.CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
      return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
    }
  }
}
