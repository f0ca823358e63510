package dev.traceinsights.extension;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.logging.Logger;

/** {@code otel.traces.sampler=traceinsights_rules}; see {@link SamplerConfig#rules}. */
public final class RuleBasedSamplerProvider implements ConfigurableSamplerProvider {

  private static final Logger logger = Logger.getLogger(RuleBasedSamplerProvider.class.getName());

  @Override
  public Sampler createSampler(ConfigProperties config) {
    return SamplerConfig.rules(config, logger::warning);
  }

  @Override
  public String getName() {
    return "traceinsights_rules";
  }
}
