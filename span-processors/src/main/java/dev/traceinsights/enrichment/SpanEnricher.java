package dev.traceinsights.enrichment;

import static dev.traceinsights.enrichment.InsightAttributes.*;

import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.analysis.NPlusOne;
import dev.traceinsights.analysis.RootCause;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceShape;
import dev.traceinsights.analysis.TraceTotals;
import dev.traceinsights.assembly.ReleaseReason;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/** Turns a trace's analysis into {@code traceinsights.*} attributes on its spans. */
public final class SpanEnricher {

  /**
   * The summary lists at most this many critical-path sections: backends handle huge array
   * attributes badly, and the per-span attributes carry the whole path anyway.
   */
  static final int MAX_CRITICAL_PATH_SPAN_IDS = 128;

  private static final Attributes LATE = Attributes.of(SPAN_LATE, true);

  private SpanEnricher() {}

  /**
   * Returns {@code spans}, in order, each with its results; the trace summary goes on the analysis'
   * root span. {@code spans} must be the list that was analysed.
   */
  public static List<SpanData> enrich(TraceAnalysis analysis, List<SpanData> spans) {
    return enrich(analysis, spans, null);
  }

  /**
   * Like {@link #enrich(TraceAnalysis, List)}, for a trace a tail decision kept: every span also
   * carries {@code samplingReason} and is exported as sampled.
   */
  public static List<SpanData> enrich(
      TraceAnalysis analysis, List<SpanData> spans, @Nullable String samplingReason) {
    Map<String, BottleneckCategory> bottlenecks = new HashMap<>();
    for (Bottleneck bottleneck : analysis.bottlenecks()) {
      bottlenecks.put(bottleneck.spanId(), bottleneck.category());
    }
    RootCause rootCause = analysis.rootCause();
    Set<String> errorChain = rootCause == null ? Set.of() : new HashSet<>(rootCause.chain());
    Map<String, NPlusOne> nPlusOneByParent = new HashMap<>();
    for (NPlusOne nPlusOne : analysis.nPlusOne()) {
      nPlusOneByParent.putIfAbsent(nPlusOne.parentSpanId(), nPlusOne); // largest first
    }

    List<SpanData> enriched = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      SpanAnalysis result = analysis.span(span.getSpanId());
      if (result == null) {
        enriched.add(
            samplingReason == null ? span : markKept(span, samplingReason, /* late= */ false));
        continue;
      }
      AttributesBuilder added = Attributes.builder();
      if (samplingReason != null) {
        added.put(SAMPLING_REASON, samplingReason);
      }
      added
          .put(SPAN_SELF_TIME_NS, result.selfTimeNanos())
          .put(SPAN_CRITICAL_PATH_NS, result.criticalPathNanos())
          .put(SPAN_ON_CRITICAL_PATH, result.onCriticalPath())
          .put(SPAN_DEPTH, result.depth())
          .put(SPAN_FAN_OUT, result.childCount());
      BottleneckCategory bottleneck = bottlenecks.get(result.spanId());
      if (bottleneck != null) {
        added.put(SPAN_BOTTLENECK, true);
        added.put(SPAN_BOTTLENECK_CATEGORY, bottleneck.attributeValue());
      }
      if (result.errorFingerprint() != null) {
        added.put(SPAN_ERROR_FINGERPRINT, result.errorFingerprint());
      }
      if (rootCause != null && rootCause.spanId().equals(result.spanId())) {
        added.put(SPAN_ROOT_CAUSE, true);
      }
      if (errorChain.contains(result.spanId())) {
        added.put(SPAN_ERROR_CHAIN, true);
      }
      NPlusOne nPlusOne = nPlusOneByParent.get(result.spanId());
      if (nPlusOne != null) {
        added.put(SPAN_N_PLUS_ONE_COUNT, nPlusOne.count());
        added.put(SPAN_N_PLUS_ONE_STATEMENT, nPlusOne.statement());
      }
      if (result.spanId().equals(analysis.rootSpanId())) {
        putTraceSummary(analysis, added);
      }
      enriched.add(new EnrichedSpanData(span, added.build(), samplingReason != null));
    }
    return enriched;
  }

  /** A span that ended after its local trace was analysed and exported. */
  public static SpanData markLate(SpanData span) {
    return new EnrichedSpanData(span, LATE);
  }

  /** A late span of a trace a tail decision kept: it follows the trace, as sampled. */
  public static SpanData markLate(SpanData span, String samplingReason) {
    return markKept(span, samplingReason, /* late= */ true);
  }

  private static SpanData markKept(SpanData span, String samplingReason, boolean late) {
    AttributesBuilder added = Attributes.builder().put(SAMPLING_REASON, samplingReason);
    if (late) {
      added.put(SPAN_LATE, true);
    }
    return new EnrichedSpanData(span, added.build(), true);
  }

  /** A span exported without analysis, and why. */
  public static SpanData markUnanalyzed(SpanData span, ReleaseReason reason) {
    return new EnrichedSpanData(span, Attributes.of(SPAN_UNANALYZED, reason.attributeValue()));
  }

  private static void putTraceSummary(TraceAnalysis analysis, AttributesBuilder added) {
    TraceTotals totals = analysis.totals();
    added
        .put(TRACE_DURATION_NS, totals.durationNanos())
        .put(TRACE_SPAN_COUNT, totals.spanCount())
        .put(TRACE_ERROR_COUNT, totals.errorCount());
    if (totals.hasAllocatedBytes()) {
      added.put(TRACE_ALLOCATED_BYTES, totals.allocatedBytes());
    }
    TraceShape shape = analysis.shape();
    added
        .put(TRACE_DEPTH, shape.depth())
        .put(TRACE_DEPTH_STATUS, shape.depthStatus().attributeValue())
        .put(TRACE_MAX_FAN_OUT, shape.maxFanOut())
        .put(TRACE_FAN_OUT_STATUS, shape.fanOutStatus().attributeValue());

    int sections = Math.min(analysis.criticalPath().size(), MAX_CRITICAL_PATH_SPAN_IDS);
    List<String> criticalPath = new ArrayList<>(sections);
    for (int i = 0; i < sections; i++) {
      criticalPath.add(analysis.criticalPath().get(i).spanId());
    }
    added.put(TRACE_CRITICAL_PATH_SPAN_IDS, criticalPath);

    if (!analysis.bottlenecks().isEmpty()) {
      List<String> ids = new ArrayList<>(analysis.bottlenecks().size());
      analysis.bottlenecks().forEach(bottleneck -> ids.add(bottleneck.spanId()));
      Bottleneck first = analysis.bottlenecks().get(0);
      added
          .put(TRACE_BOTTLENECK_SPAN_IDS, ids)
          .put(TRACE_BOTTLENECK_SPAN_NAME, first.spanName())
          .put(TRACE_BOTTLENECK_CATEGORY, first.category().attributeValue());
    }
    RootCause rootCause = analysis.rootCause();
    if (rootCause != null) {
      added
          .put(TRACE_ROOT_CAUSE_SPAN_ID, rootCause.spanId())
          .put(TRACE_ROOT_CAUSE_SPAN_NAME, rootCause.spanName())
          .put(TRACE_ROOT_CAUSE_ERROR_TYPE, rootCause.errorType())
          .put(TRACE_ROOT_CAUSE_FINGERPRINT, rootCause.fingerprint());
    }
    if (!analysis.nPlusOne().isEmpty()) {
      added.put(TRACE_N_PLUS_ONE_COUNT, analysis.nPlusOne().size());
    }
  }
}
