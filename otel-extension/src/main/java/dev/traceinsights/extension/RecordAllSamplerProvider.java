package dev.traceinsights.extension;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.logging.Logger;

/** {@code otel.traces.sampler=traceinsights_record_all}; see {@link SamplerConfig#recordAll}. */
public final class RecordAllSamplerProvider implements ConfigurableSamplerProvider {

  private static final Logger logger = Logger.getLogger(RecordAllSamplerProvider.class.getName());

  @Override
  public Sampler createSampler(ConfigProperties config) {
    return SamplerConfig.recordAll(config, logger::warning);
  }

  @Override
  public String getName() {
    return "traceinsights_record_all";
  }
}
