package dev.traceinsights.it;

import dev.traceinsights.harness.SkyWalkingOap;
import dev.traceinsights.harness.TraceBackend;

/**
 * The agent's OTLP/gRPC exporter sends the enriched spans to a real Apache SkyWalking OAP; they are
 * read back through its Zipkin-format query API.
 */
class SkyWalkingExportIT extends ScenarioExportContract {

  @Override
  TraceBackend startBackend() {
    return SkyWalkingOap.start(
        ItEnvironment.artifacts().skyWalkingLib(), ItEnvironment.workDir("skywalking"));
  }

  @Override
  void stopBackend(TraceBackend backend) {
    backend.close();
  }

  @Override
  String servicePrefix() {
    return "skywalking-it";
  }
}
