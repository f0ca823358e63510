package dev.traceinsights.compare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.OperationBaseline;
import dev.traceinsights.detection.DetectionResult;
import dev.traceinsights.detection.RegressionFinding;
import dev.traceinsights.events.InsightEvent;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.OperationKey;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * A {@link RunComparison} as a JSON document, {@value #FORMAT}:
 *
 * <pre>{@code
 * {
 *   "format": "trace-insights-compare/1",
 *   "result": "fail",                 // "pass", "fail" or "no-data", as the exit code
 *   "nothingCompared": null,          // with "no-data": why, e.g. "the run has no spans"
 *   "failOn": "medium",
 *   "baseline": {"source": "...", "operations": 12, "traces": 200},   // traces null for a file
 *   "run": {"source": "...", "operations": 12, "traces": 200},
 *   "regressions": [{"type": "regression", "severity": "medium", "service": "frontend",
 *       "operation": "GET /cart", "spanKind": "server", "title": "...", "recommendation": "...",
 *       "evidence": {"mann_whitney.p_value": 1.2e-40, ...}, "exampleTraceIds": ["..."]}],
 *   "improvements": [...],            // as regressions
 *   "newBottlenecks": [{"service", "operation", "spanKind", "runTraces", "runTotal",
 *       "baselineTraces", "baselineTotal"}],     // null when not compared (baseline file)
 *   "newOperations": [{"service", "operation", "spanKind", "calls"}],
 *   "vanishedOperations": [...],      // as newOperations, calls in the baseline
 *   "skipped": {"tested": 10, "tooFewSamples": 2, "missingInBaseline": 1, "missingInRun": 0}
 * }
 * }</pre>
 *
 * <p>The findings are their {@link InsightEvent}s, evidence keys included.
 */
public final class JsonReport {

  public static final String FORMAT = "trace-insights-compare/1";

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private JsonReport() {}

  /**
   * Writes the document and a final newline; does not close {@code out}.
   *
   * @param epochNanos the time stamped on the findings' events
   */
  public static void write(RunComparison comparison, Severity failOn, long epochNanos, Writer out)
      throws IOException {
    DetectionResult detection = comparison.detection();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      json.writeStringField("result", comparison.result(failOn));
      json.writeStringField("nothingCompared", comparison.nothingCompared());
      json.writeStringField("failOn", failOn.label());
      side(json, "baseline", comparison.baseline(), comparison.baselineBottlenecks());
      side(json, "run", comparison.run(), comparison.runBottlenecks());
      findings(json, "regressions", detection.regressions(), epochNanos);
      findings(json, "improvements", detection.improvements(), epochNanos);
      json.writeFieldName("newBottlenecks");
      if (comparison.bottlenecksCompared()) {
        json.writeStartArray();
        for (NewBottleneck bottleneck : comparison.newBottlenecks()) {
          json.writeStartObject();
          operation(json, bottleneck.operation());
          json.writeNumberField("runTraces", bottleneck.runTraces());
          json.writeNumberField("runTotal", bottleneck.runTotal());
          json.writeNumberField("baselineTraces", bottleneck.baselineTraces());
          json.writeNumberField("baselineTotal", bottleneck.baselineTotal());
          json.writeEndObject();
        }
        json.writeEndArray();
      } else {
        json.writeNull();
      }
      operations(json, "newOperations", comparison.newOperations(), comparison.run());
      operations(
          json, "vanishedOperations", comparison.vanishedOperations(), comparison.baseline());
      json.writeObjectFieldStart("skipped");
      json.writeNumberField("tested", detection.tested());
      json.writeNumberField("tooFewSamples", detection.tooFewSamples());
      json.writeNumberField("missingInBaseline", detection.missingInBaseline());
      json.writeNumberField("missingInRun", detection.missingInCurrent());
      json.writeEndObject();
      json.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void side(
      JsonGenerator json, String name, Baseline baseline, @Nullable BottleneckShares shares)
      throws IOException {
    json.writeObjectFieldStart(name);
    json.writeStringField("source", baseline.source());
    json.writeNumberField("operations", baseline.operations().size());
    json.writeFieldName("traces");
    if (shares == null) {
      json.writeNull();
    } else {
      json.writeNumber(shares.traces());
    }
    json.writeEndObject();
  }

  private static void findings(
      JsonGenerator json, String name, List<RegressionFinding> findings, long epochNanos)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (RegressionFinding finding : findings) {
      InsightEvent event = finding.toEvent(epochNanos);
      json.writeStartObject();
      json.writeStringField("type", event.type().label());
      json.writeStringField("severity", event.severity().label());
      json.writeStringField("service", event.service());
      json.writeStringField("operation", event.operation());
      json.writeStringField("spanKind", event.spanKind());
      json.writeStringField("title", event.title());
      json.writeStringField("recommendation", event.recommendation());
      json.writeObjectFieldStart("evidence");
      for (Map.Entry<String, Object> entry : event.evidence().entrySet()) {
        json.writeFieldName(entry.getKey());
        Object value = entry.getValue();
        if (value instanceof Double number) {
          json.writeNumber(number);
        } else if (value instanceof Long number) {
          json.writeNumber(number);
        } else if (value instanceof Boolean bool) {
          json.writeBoolean(bool);
        } else {
          json.writeString(String.valueOf(value));
        }
      }
      json.writeEndObject();
      json.writeArrayFieldStart("exampleTraceIds");
      for (String traceId : event.exampleTraceIds()) {
        json.writeString(traceId);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void operations(
      JsonGenerator json, String name, List<OperationKey> operations, Baseline side)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (OperationKey key : operations) {
      json.writeStartObject();
      operation(json, key);
      OperationBaseline operation = side.operation(key);
      json.writeNumberField("calls", operation == null ? 0 : operation.calls());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void operation(JsonGenerator json, OperationKey operation) throws IOException {
    json.writeStringField("service", operation.serviceName());
    json.writeStringField("operation", operation.spanName());
    json.writeStringField("spanKind", operation.kind().name().toLowerCase(Locale.ROOT));
  }
}
