package dev.traceinsights.stats;

import dev.traceinsights.analysis.ErrorGroup;
import dev.traceinsights.analysis.RootCause;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Error patterns by fingerprint, from the {@linkplain TraceAnalysis#errorGroups() error groups} of
 * analysed traces. At most {@code maxPatterns} are kept: a new one evicts the least recently seen,
 * and evictions are counted. Unanalysed spans have no fingerprint and are not counted here. Guarded
 * by the statistics' lock.
 */
final class ErrorPatterns {

  /** Sample messages are cut to this length so that a pattern's memory stays small. */
  static final int MAX_MESSAGE_CHARS = 256;

  static final String EXCEPTION_EVENT_NAME = "exception";
  private static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");

  private final int maxPatterns;
  // Access order: the eldest entry is the least recently seen pattern.
  private final LinkedHashMap<String, Accumulator> patterns = new LinkedHashMap<>(16, 0.75f, true);
  private long dropped;

  ErrorPatterns(int maxPatterns) {
    this.maxPatterns = maxPatterns;
  }

  /**
   * Counts the error groups of {@code analysis}.
   *
   * @param operations the accumulator each span was recorded into, indexed like the spans
   */
  void record(
      TraceAnalysis analysis,
      List<SpanData> spans,
      OperationAccumulator[] operations,
      long epochNanos) {
    List<ErrorGroup> groups = analysis.errorGroups();
    if (groups.isEmpty()) {
      return;
    }
    // A group's example is its first span in input order (ErrorGroups), so is ours.
    List<SpanAnalysis> analysed = analysis.spans();
    Map<String, Integer> firstSpan = new HashMap<>();
    for (int i = 0; i < analysed.size(); i++) {
      String fingerprint = analysed.get(i).errorFingerprint();
      if (fingerprint != null) {
        firstSpan.putIfAbsent(fingerprint, i);
      }
    }
    RootCause rootCause = analysis.rootCause();
    for (ErrorGroup group : groups) {
      Integer example = firstSpan.get(group.fingerprint());
      if (example == null) {
        continue; // not from TraceAnalyzer: nothing to take the example from
      }
      Accumulator pattern = patterns.get(group.fingerprint());
      if (pattern == null) {
        if (!makeRoom()) {
          continue;
        }
        pattern = new Accumulator(group.fingerprint(), epochNanos);
        patterns.put(group.fingerprint(), pattern);
      }
      pattern.traces++;
      pattern.spans += group.count();
      if (rootCause != null && rootCause.fingerprint().equals(group.fingerprint())) {
        pattern.rootCauses++;
      }
      pattern.lastSeenEpochNanos = epochNanos;
      pattern.errorType = group.errorType();
      pattern.operation = operations[example].key;
      pattern.exampleTraceId = analysis.traceId();
      pattern.sampleMessage = sampleMessage(spans.get(example));
    }
  }

  List<ErrorPattern> snapshot() {
    List<ErrorPattern> result = new ArrayList<>(patterns.size());
    for (Accumulator pattern : patterns.values()) {
      result.add(
          new ErrorPattern(
              pattern.fingerprint,
              pattern.errorType,
              pattern.sampleMessage,
              pattern.operation,
              pattern.exampleTraceId,
              pattern.traces,
              pattern.spans,
              pattern.rootCauses,
              pattern.firstSeenEpochNanos,
              pattern.lastSeenEpochNanos));
    }
    result.sort(
        (a, b) -> {
          int byTraces = Long.compare(b.traceCount(), a.traceCount());
          if (byTraces != 0) {
            return byTraces;
          }
          int bySpans = Long.compare(b.spanCount(), a.spanCount());
          return bySpans != 0 ? bySpans : a.fingerprint().compareTo(b.fingerprint());
        });
    return result;
  }

  long dropped() {
    return dropped;
  }

  int size() {
    return patterns.size();
  }

  /** False when no pattern can be kept at all; the new pattern is then counted as dropped. */
  private boolean makeRoom() {
    if (maxPatterns == 0) {
      dropped++;
      return false;
    }
    if (patterns.size() >= maxPatterns) {
      Iterator<Accumulator> eldest = patterns.values().iterator();
      eldest.next();
      eldest.remove();
      dropped++;
    }
    return true;
  }

  /**
   * As {@code SpanError} takes it: the last {@code exception} event's message, else the status
   * description, else empty.
   */
  static String sampleMessage(SpanData span) {
    String message = null;
    List<EventData> events = span.getEvents();
    for (int i = events.size() - 1; i >= 0; i--) {
      EventData event = events.get(i);
      if (EXCEPTION_EVENT_NAME.equals(event.getName())) {
        message = event.getAttributes().get(EXCEPTION_MESSAGE);
        break;
      }
    }
    if (message == null) {
      message = span.getStatus().getDescription();
    }
    if (message == null) {
      return "";
    }
    return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
  }

  @Override
  public String toString() {
    return "ErrorPatterns{patterns="
        + patterns.size()
        + ", maxPatterns="
        + maxPatterns
        + ", dropped="
        + dropped
        + '}';
  }

  private static final class Accumulator {
    final String fingerprint;
    final long firstSeenEpochNanos;
    long lastSeenEpochNanos;
    long traces;
    long spans;
    long rootCauses;
    String errorType = "";
    String sampleMessage = "";
    OperationKey operation;
    String exampleTraceId = "";

    Accumulator(String fingerprint, long firstSeenEpochNanos) {
      this.fingerprint = fingerprint;
      this.firstSeenEpochNanos = firstSeenEpochNanos;
    }
  }
}
