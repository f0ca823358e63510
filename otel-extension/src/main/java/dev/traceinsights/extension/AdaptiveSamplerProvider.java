package dev.traceinsights.extension;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.logging.Logger;

/** {@code otel.traces.sampler=traceinsights_adaptive}; see {@link SamplerConfig#adaptive}. */
public final class AdaptiveSamplerProvider implements ConfigurableSamplerProvider {

  private static final Logger logger = Logger.getLogger(AdaptiveSamplerProvider.class.getName());

  @Override
  public Sampler createSampler(ConfigProperties config) {
    return SamplerConfig.adaptive(config, logger::warning);
  }

  @Override
  public String getName() {
    return "traceinsights_adaptive";
  }
}
