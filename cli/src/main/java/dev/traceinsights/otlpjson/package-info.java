/**
 * Reading traces from OTLP-JSON files: the JSON encoding of {@code ExportTraceServiceRequest} used
 * by OTLP/HTTP and by the OpenTelemetry Collector's file exporter, one request per file or one per
 * line. Entry point: {@link dev.traceinsights.otlpjson.OtlpJsonTraceReader}.
 */
@ParametersAreNonnullByDefault
package dev.traceinsights.otlpjson;

import javax.annotation.ParametersAreNonnullByDefault;
