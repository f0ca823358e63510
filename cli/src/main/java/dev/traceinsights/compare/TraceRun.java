package dev.traceinsights.compare;

import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.InvalidTraceException;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.BaselineRecorder;
import dev.traceinsights.otlpjson.OtlpJsonException;
import dev.traceinsights.otlpjson.OtlpJsonTraceReader;
import dev.traceinsights.stats.OperationKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
   * Reads OTLP-JSON files and summarises their traces; the spans of a trace may be spread over
   * several files.
   *
   * @param notes receives one line per file without spans and per trace that cannot be analysed
   * @throws TraceInputException when a file cannot be read or is not OTLP-JSON; the message names
   *     the file
   */
  public static TraceRun read(
      List<Path> files, BaselineRecorder recorder, TraceAnalyzer analyzer, Consumer<String> notes)
      throws TraceInputException {
    requireNonNull(files, "files");
    OtlpJsonTraceReader reader = OtlpJsonTraceReader.create();
    List<SpanData> spans = new ArrayList<>();
    for (Path file : files) {
      List<SpanData> fileSpans = readFile(reader, file);
      if (fileSpans.isEmpty()) {
        notes.accept(file + ": no spans found (expected OTLP-JSON with resourceSpans)");
      }
      spans.addAll(fileSpans);
    }
    return of(spans, recorder, analyzer, notes);
  }

  /** Summarises {@code spans}, of any number of traces, into {@code recorder}, then builds. */
  public static TraceRun of(
      Collection<? extends SpanData> spans,
      BaselineRecorder recorder,
      TraceAnalyzer analyzer,
      Consumer<String> notes) {
    requireNonNull(spans, "spans");
    requireNonNull(recorder, "recorder");
    requireNonNull(analyzer, "analyzer");
    requireNonNull(notes, "notes");
    int analysed = 0;
    Map<OperationKey, Integer> bottleneckTraces = new LinkedHashMap<>();
    for (Map.Entry<String, List<SpanData>> trace :
        OtlpJsonTraceReader.groupByTraceId(spans).entrySet()) {
      @Nullable TraceAnalysis analysis = analyse(analyzer, trace.getKey(), trace.getValue(), notes);
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
    return new TraceRun(recorder.build(), new BottleneckShares(analysed, bottleneckTraces));
  }

  @Nullable
  private static TraceAnalysis analyse(
      TraceAnalyzer analyzer, String traceId, List<SpanData> spans, Consumer<String> notes) {
    try {
      return analyzer.analyze(spans);
    } catch (InvalidTraceException e) {
      notes.accept("trace " + traceId + ": not analysed (" + e.getMessage() + ")");
      return null;
    }
  }

  private static List<SpanData> readFile(OtlpJsonTraceReader reader, Path file)
      throws TraceInputException {
    if (Files.isDirectory(file)) {
      throw new TraceInputException(file + ": is a directory, expected an OTLP-JSON file", null);
    }
    try {
      return reader.readSpans(file);
    } catch (NoSuchFileException e) {
      throw new TraceInputException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new TraceInputException(file + ": permission denied", e);
    } catch (FileSystemException e) {
      String reason = e.getReason() == null ? e.toString() : e.getReason();
      throw new TraceInputException(file + ": cannot read: " + reason, e);
    } catch (IOException e) {
      throw new TraceInputException(file + ": cannot read: " + e.getMessage(), e);
    } catch (OtlpJsonException e) {
      throw new TraceInputException(e.getMessage(), e);
    }
  }
}
