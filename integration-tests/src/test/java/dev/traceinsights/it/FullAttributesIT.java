package dev.traceinsights.it;

import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.harness.TraceBackend;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same contract with {@code traceinsights.attributes=full}: every per-span figure and the whole
 * trace summary arrive in a real Zipkin server through the agent's zipkin exporter.
 */
@ExtendWith(SharedZipkin.class)
class FullAttributesIT extends ScenarioExportContract {

  @Override
  TraceBackend startBackend() {
    return SharedZipkin.server();
  }

  @Override
  void stopBackend(TraceBackend backend) {
    // Shared with other classes; JUnit closes it at the end of the run.
  }

  @Override
  String servicePrefix() {
    return "zipkin-full-it";
  }

  @Override
  AttributeLevel attributeLevel() {
    return AttributeLevel.FULL;
  }
}
