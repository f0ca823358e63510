package dev.traceinsights.compare;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.InvalidTraceException;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineRecorder;
import dev.traceinsights.otlpjson.CappedNotes;
import dev.traceinsights.otlpjson.OtlpJsonTraceReader;
import dev.traceinsights.otlpjson.TraceInput;
import dev.traceinsights.stats.OperationKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.annotation.Nullable;

/**
 * The traces of a run summarised for comparison: a {@link Baseline} of every span (its operation's
 * duration and error, and the error fingerprints) and the {@link BottleneckShares}.
 *
 * <p>Each trace is analysed with {@link TraceAnalyzer}: a span's error is the analysis' (ERROR
 * status or an exception event), its fingerprint the analysis' fingerprint. A trace the analyzer
 * refuses (a cycle, duplicate span ids) still counts its spans, errors by status only, and is
 * reported through the notes; it is no trace of the bottleneck shares.
 *
 * @param baseline the run as a baseline
 * @param bottlenecks which operations are the bottlenecks of how many traces
 */
public record TraceRun(Baseline baseline, BottleneckShares bottlenecks) {

  public TraceRun {
    requireNonNull(baseline, "baseline");
    requireNonNull(bottlenecks, "bottlenecks");
  }

  /**
   * Summarises the traces read from the inputs ({@link dev.traceinsights.otlpjson.TraceFiles}).
   *
   * @param notes receives one line per trace that cannot be analysed
   */
  public static TraceRun of(
      List<TraceInput> traces,
      BaselineRecorder recorder,
      TraceAnalyzer analyzer,
      Consumer<String> notes) {
    requireNonNull(traces, "traces");
    Map<String, List<SpanData>> byTrace = new LinkedHashMap<>();
    for (TraceInput trace : traces) {
      byTrace.put(trace.traceId(), trace.spans());
    }
    return of(byTrace, recorder, analyzer, notes);
  }

  /** Summarises {@code spans}, of any number of traces, into {@code recorder}, then builds. */
  public static TraceRun of(
      Collection<? extends SpanData> spans,
      BaselineRecorder recorder,
      TraceAnalyzer analyzer,
      Consumer<String> notes) {
    requireNonNull(spans, "spans");
    return of(OtlpJsonTraceReader.groupByTraceId(spans), recorder, analyzer, notes);
  }

  private static TraceRun of(
      Map<String, List<SpanData>> traces,
      BaselineRecorder recorder,
      TraceAnalyzer analyzer,
      Consumer<String> notes) {
    requireNonNull(recorder, "recorder");
    requireNonNull(analyzer, "analyzer");
    requireNonNull(notes, "notes");
    int analysed = 0;
    Map<OperationKey, Integer> bottleneckTraces = new LinkedHashMap<>();
    CappedNotes refused = new CappedNotes(notes);
    for (Map.Entry<String, List<SpanData>> trace : traces.entrySet()) {
      @Nullable TraceAnalysis analysis = null;
      try {
        analysis = analyzer.analyze(trace.getValue());
      } catch (InvalidTraceException e) {
        refused.add(
            "trace "
                + trace.getKey()
                + ": not analysed ("
                + e.getMessage()
                + "); its spans still count");
      }
      Map<String, SpanData> byId = new HashMap<>();
      for (SpanData span : trace.getValue()) {
        byId.put(span.getSpanId(), span);
        @Nullable
        SpanAnalysis spanAnalysis = analysis == null ? null : analysis.span(span.getSpanId());
        boolean error =
            spanAnalysis == null
                ? span.getStatus().getStatusCode() == StatusCode.ERROR
                : spanAnalysis.error();
        long duration = Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos());
        recorder.record(OperationKey.of(span), duration, error, trace.getKey());
        if (spanAnalysis != null && spanAnalysis.errorFingerprint() != null) {
          recorder.recordErrorFingerprint(spanAnalysis.errorFingerprint());
        }
      }
      if (analysis != null) {
        analysed++;
        Set<OperationKey> bottlenecks = new LinkedHashSet<>();
        for (Bottleneck bottleneck : analysis.bottlenecks()) {
          SpanData span = byId.get(bottleneck.spanId());
          if (span != null) {
            bottlenecks.add(OperationKey.of(span));
          }
        }
        for (OperationKey operation : bottlenecks) {
          bottleneckTraces.merge(operation, 1, Integer::sum);
        }
      }
    }
    refused.finish("traces not analysed");
    return new TraceRun(recorder.build(), new BottleneckShares(analysed, bottleneckTraces));
  }
}
