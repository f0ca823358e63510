package dev.traceinsights.harness;

import java.net.URI;
import java.util.Map;

/** A running trace backend: where the agent sends spans, and where the Zipkin v2 API reads them. */
public interface TraceBackend extends AutoCloseable {

  /** The agent's exporter settings ({@code otel.*} system properties) that send spans here. */
  Map<String, String> exporterProperties();

  /** Base of the Zipkin v2 query API, ending in {@code /api/v2/}. */
  URI zipkinApi();

  @Override
  void close();
}
