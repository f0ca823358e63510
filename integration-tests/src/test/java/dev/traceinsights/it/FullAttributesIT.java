package dev.traceinsights.it;

import dev.traceinsights.enrichment.AttributeLevel;

/**
 * The same contract, and the demo summary, with {@code traceinsights.attributes=full}: every
 * per-span figure and the whole trace summary arrive in a real Zipkin server through the agent's
 * zipkin exporter.
 */
class FullAttributesIT extends ZipkinExportIT {

  @Override
  String servicePrefix() {
    return "zipkin-full-it";
  }

  @Override
  AttributeLevel attributeLevel() {
    return AttributeLevel.FULL;
  }
}
