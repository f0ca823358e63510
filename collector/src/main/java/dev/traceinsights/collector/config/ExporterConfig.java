package dev.traceinsights.collector.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One exporter: where, how, and how much it may hold while its backend is slow or down.
 *
 * @param name {@code otlp} or {@code zipkin}
 * @param protocol for OTLP: {@code grpc}, {@code http/protobuf} or {@code http/json}; for Zipkin
 *     {@code http/json} (Zipkin v2 JSON)
 * @param queueSize spans waiting for export at most; the receivers refuse new data (back-off
 *     statuses) while a queue is nearly full
 * @param maxElapsedTime how long a batch is retried before it is dropped and counted
 */
public record ExporterConfig(
    String name,
    URI endpoint,
    String protocol,
    Duration timeout,
    boolean gzip,
    Map<String, String> headers,
    int queueSize,
    int batchSize,
    Duration maxElapsedTime) {

  public ExporterConfig {
    headers = Map.copyOf(headers);
  }

  @Override
  public String toString() {
    // Headers often carry credentials: their names only.
    return name + "(" + protocol + " " + endpoint + ", headers " + headers.keySet() + ")";
  }
}
