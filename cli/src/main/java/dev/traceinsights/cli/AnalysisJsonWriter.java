package dev.traceinsights.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.CriticalPathSection;
import dev.traceinsights.analysis.ErrorGroup;
import dev.traceinsights.analysis.NPlusOne;
import dev.traceinsights.analysis.RootCause;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceShape;
import dev.traceinsights.analysis.TraceTotals;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Writes trace analyses as the JSON document of {@code trace-insights analyze}: {@code {"traces":
 * [...]}}.
 *
 * <p>Timestamps ({@code *UnixNano}) are written as decimal strings, as OTLP/JSON does: epoch
 * nanoseconds exceed 2^53, which JavaScript and jq 1.6 would round. Durations stay numbers. Values
 * that were not measured (allocated bytes) are left out; absent references (no parent, no root
 * cause) are {@code null}.
 */
final class AnalysisJsonWriter {

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private AnalysisJsonWriter() {}

  /** Writes the document and a final newline; does not close {@code out}. */
  static void write(List<TraceAnalysis> traces, Writer out, boolean pretty) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      if (pretty) {
        json.useDefaultPrettyPrinter();
      }
      json.writeStartObject();
      json.writeArrayFieldStart("traces");
      for (TraceAnalysis trace : traces) {
        writeTrace(json, trace);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void writeTrace(JsonGenerator json, TraceAnalysis trace) throws IOException {
    TraceTotals totals = trace.totals();
    json.writeStartObject();
    json.writeStringField("traceId", trace.traceId());
    json.writeStringField("rootSpanId", trace.rootSpanId());
    json.writeBooleanField("incomplete", trace.incomplete());
    json.writeArrayFieldStart("orphanSpanIds");
    for (String orphan : trace.orphanSpanIds()) {
      json.writeString(orphan);
    }
    json.writeEndArray();
    json.writeNumberField("durationNanos", totals.durationNanos());
    json.writeNumberField("spanCount", totals.spanCount());
    json.writeNumberField("errorCount", totals.errorCount());
    if (totals.hasAllocatedBytes()) {
      json.writeNumberField("allocatedBytes", totals.allocatedBytes());
    }

    json.writeArrayFieldStart("criticalPath");
    for (CriticalPathSection section : trace.criticalPath()) {
      json.writeStartObject();
      json.writeStringField("spanId", section.spanId());
      writeTimestamp(json, "startUnixNano", section.startEpochNanos());
      writeTimestamp(json, "endUnixNano", section.endEpochNanos());
      json.writeEndObject();
    }
    json.writeEndArray();

    json.writeArrayFieldStart("bottleneckSpanIds");
    for (Bottleneck bottleneck : trace.bottlenecks()) {
      json.writeString(bottleneck.spanId());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("bottlenecks");
    for (Bottleneck bottleneck : trace.bottlenecks()) {
      json.writeStartObject();
      json.writeStringField("spanId", bottleneck.spanId());
      json.writeStringField("name", bottleneck.spanName());
      json.writeStringField("category", bottleneck.category().attributeValue());
      json.writeNumberField("criticalPathNanos", bottleneck.criticalPathNanos());
      json.writeNumberField("selfTimeNanos", bottleneck.selfTimeNanos());
      json.writeEndObject();
    }
    json.writeEndArray();

    RootCause rootCause = trace.rootCause();
    writeNullableString(json, "rootCauseSpanId", rootCause == null ? null : rootCause.spanId());
    json.writeFieldName("rootCause");
    if (rootCause == null) {
      json.writeNull();
    } else {
      json.writeStartObject();
      json.writeStringField("spanId", rootCause.spanId());
      json.writeStringField("name", rootCause.spanName());
      writeStrings(json, "chain", rootCause.chain());
      json.writeStringField("fingerprint", rootCause.fingerprint());
      json.writeStringField("errorType", rootCause.errorType());
      json.writeStringField("message", rootCause.message());
      json.writeEndObject();
    }

    json.writeArrayFieldStart("errorGroups");
    for (ErrorGroup group : trace.errorGroups()) {
      json.writeStartObject();
      json.writeStringField("fingerprint", group.fingerprint());
      json.writeStringField("errorType", group.errorType());
      json.writeNumberField("count", group.count());
      json.writeStringField("exampleSpanId", group.exampleSpanId());
      json.writeEndObject();
    }
    json.writeEndArray();

    json.writeArrayFieldStart("nPlusOne");
    for (NPlusOne nPlusOne : trace.nPlusOne()) {
      json.writeStartObject();
      json.writeStringField("parentSpanId", nPlusOne.parentSpanId());
      json.writeStringField("kind", nPlusOne.kind().attributeValue());
      json.writeStringField("statement", nPlusOne.statement());
      writeStrings(json, "via", nPlusOne.via());
      json.writeNumberField("count", nPlusOne.count());
      json.writeStringField("remedy", nPlusOne.remedy());
      writeStrings(json, "spanIds", nPlusOne.spanIds());
      json.writeEndObject();
    }
    json.writeEndArray();

    TraceShape shape = trace.shape();
    json.writeObjectFieldStart("shape");
    json.writeNumberField("depth", shape.depth());
    json.writeStringField("depthStatus", shape.depthStatus().attributeValue());
    json.writeNumberField("maxFanOut", shape.maxFanOut());
    writeNullableString(json, "maxFanOutSpanId", shape.maxFanOutSpanId());
    json.writeStringField("fanOutStatus", shape.fanOutStatus().attributeValue());
    json.writeEndObject();

    json.writeArrayFieldStart("spans");
    for (SpanAnalysis span : trace.spans()) {
      writeSpan(json, span);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeSpan(JsonGenerator json, SpanAnalysis span) throws IOException {
    json.writeStartObject();
    json.writeStringField("spanId", span.spanId());
    writeNullableString(json, "parentSpanId", span.parentSpanId());
    json.writeStringField("name", span.name());
    json.writeStringField("kind", span.kind().name());
    writeTimestamp(json, "startUnixNano", span.startEpochNanos());
    writeTimestamp(json, "endUnixNano", span.endEpochNanos());
    json.writeNumberField("selfTimeNanos", span.selfTimeNanos());
    json.writeNumberField("criticalPathNanos", span.criticalPathNanos());
    json.writeBooleanField("onCriticalPath", span.onCriticalPath());
    json.writeNumberField("depth", span.depth());
    json.writeNumberField("childCount", span.childCount());
    json.writeBooleanField("error", span.error());
    writeNullableString(json, "errorFingerprint", span.errorFingerprint());
    if (span.allocatedBytes() != TraceTotals.NOT_MEASURED) {
      json.writeNumberField("allocatedBytes", span.allocatedBytes());
    }
    json.writeEndObject();
  }

  private static void writeTimestamp(JsonGenerator json, String name, long epochNanos)
      throws IOException {
    json.writeStringField(name, Long.toString(epochNanos));
  }

  private static void writeNullableString(JsonGenerator json, String name, @Nullable String value)
      throws IOException {
    if (value == null) {
      json.writeNullField(name);
    } else {
      json.writeStringField(name, value);
    }
  }

  private static void writeStrings(JsonGenerator json, String name, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
