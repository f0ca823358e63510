package dev.traceinsights.enrichment.internal;

import static dev.traceinsights.semconv.InsightAttributes.*;
import static java.util.Objects.requireNonNull;

import dev.traceinsights.analysis.Bottleneck;
import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.analysis.CriticalPathSection;
import dev.traceinsights.analysis.NPlusOne;
import dev.traceinsights.analysis.RootCause;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.ThresholdStatus;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceShape;
import dev.traceinsights.analysis.TraceTotals;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.enrichment.AttributeLevel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Turns a trace's analysis into {@code traceinsights.*} attributes on its spans, as much as its
 * {@link AttributeLevel} asks for. A span that gets nothing is passed on as it is; one that does is
 * wrapped with a view of its recorded plus added attributes (nothing is copied or re-sorted).
 * Thread-safe.
 */
public final class SpanEnricher {

  /**
   * The summary lists at most this many critical-path spans: backends handle huge array attributes
   * badly, and at {@code full} the per-span attributes carry the whole path anyway.
   */
  static final int MAX_CRITICAL_PATH_SPAN_IDS = 128;

  /**
   * Below {@code full}, the summary lists only the critical-path spans that hold at least
   * 1/{@value} of the trace's duration on it: a span with less cannot be why the trace is slow, and
   * a loop of short queries on the path (their parent carries the N+1 finding) would otherwise be
   * most of the list, and two fifths of the bytes the extension adds to the demo's export.
   */
  static final int STANDARD_CRITICAL_PATH_SHARE_DIVISOR = 20;

  /** {@code standard} exports a span's allocated bytes from this many on. */
  public static final long DEFAULT_MIN_ALLOCATED_BYTES = 1024 * 1024;

  private static final Object[] NOTHING = {};
  private static final SpanEnricher DEFAULT =
      new SpanEnricher(AttributeLevel.DEFAULT, DEFAULT_MIN_ALLOCATED_BYTES);

  private final AttributeLevel level;
  private final long minAllocatedBytes;

  private SpanEnricher(AttributeLevel level, long minAllocatedBytes) {
    this.level = level;
    this.minAllocatedBytes = minAllocatedBytes;
  }

  /** The default level ({@code standard}), allocations from 1 MiB. */
  public static SpanEnricher create() {
    return DEFAULT;
  }

  /**
   * @param minAllocatedBytes at {@code standard}, spans that allocated fewer bytes do not export
   *     their {@code traceinsights.span.allocated_bytes} (the live statistics still count them)
   */
  public static SpanEnricher create(AttributeLevel level, long minAllocatedBytes) {
    requireNonNull(level, "level");
    if (minAllocatedBytes < 0) {
      throw new IllegalArgumentException("minAllocatedBytes must be non-negative");
    }
    return new SpanEnricher(level, minAllocatedBytes);
  }

  public AttributeLevel level() {
    return level;
  }

  /**
   * Returns {@code spans}, in order, each with its results; the trace summary goes on the analysis'
   * root span. {@code spans} must be the list that was analysed.
   */
  public List<SpanData> enrich(TraceAnalysis analysis, List<SpanData> spans) {
    return enrich(analysis, spans, null);
  }

  /**
   * Like {@link #enrich(TraceAnalysis, List)}, for a trace a tail decision kept: every span is
   * exported as sampled, and carries {@code samplingReason} ({@code full}) or the local root does
   * (the other levels, and there only when the tail decision, not head sampling, kept it).
   */
  public List<SpanData> enrich(
      TraceAnalysis analysis, List<SpanData> spans, @Nullable String samplingReason) {
    boolean sampled = samplingReason != null;
    TraceFacts facts = new TraceFacts(analysis, level);
    Added added = new Added();
    List<SpanData> enriched = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      SpanAnalysis result = analysis.span(span.getSpanId());
      if (result == null) {
        enriched.add(sampled ? markKept(span, samplingReason, /* late= */ false) : span);
        continue;
      }
      boolean root = result.spanId().equals(analysis.rootSpanId());
      if (samplingReason != null
          && (level == AttributeLevel.FULL || (root && !samplingReason.equals("head")))) {
        added.put(SAMPLING_REASON, samplingReason);
      }
      putSpanResults(result, facts, added);
      if (root) {
        putTraceSummary(analysis, added);
      }
      AttributeKey<?> hidden = hidesAllocation(result) ? SPAN_ALLOCATED_BYTES : null;
      if (added.isEmpty() && hidden == null && !sampled) {
        enriched.add(span);
      } else {
        enriched.add(new EnrichedSpanData(span, added.take(), hidden, sampled));
      }
    }
    return enriched;
  }

  /** The trace's results looked up by span id, once per trace. */
  private static final class TraceFacts {
    final Map<String, BottleneckCategory> bottlenecks;
    @Nullable final RootCause rootCause;
    final Set<String> errorChain;
    final Map<String, NPlusOne> nPlusOneByParent;

    TraceFacts(TraceAnalysis analysis, AttributeLevel level) {
      // Most traces have one bottleneck and no N+1: no hash table for those.
      List<Bottleneck> found = analysis.bottlenecks();
      if (found.size() == 1) {
        bottlenecks = Map.of(found.get(0).spanId(), found.get(0).category());
      } else {
        bottlenecks = new HashMap<>();
        for (Bottleneck bottleneck : found) {
          bottlenecks.put(bottleneck.spanId(), bottleneck.category());
        }
      }
      rootCause = analysis.rootCause();
      errorChain =
          rootCause == null || level == AttributeLevel.MINIMAL
              ? Set.of()
              : new HashSet<>(rootCause.chain());
      if (analysis.nPlusOne().isEmpty()) {
        nPlusOneByParent = Map.of();
      } else {
        nPlusOneByParent = new HashMap<>();
        for (NPlusOne nPlusOne : analysis.nPlusOne()) {
          nPlusOneByParent.putIfAbsent(nPlusOne.parentSpanId(), nPlusOne); // largest first
        }
      }
    }
  }

  /**
   * One span's own results. A method of its own, as are the summary's: the JIT compiles the
   * enrichment in smaller units.
   */
  private void putSpanResults(SpanAnalysis result, TraceFacts facts, Added added) {
    BottleneckCategory bottleneck = facts.bottlenecks.get(result.spanId());
    if (level == AttributeLevel.FULL) {
      added
          .put(SPAN_SELF_TIME_NS, result.selfTimeNanos())
          .put(SPAN_CRITICAL_PATH_NS, result.criticalPathNanos())
          .put(SPAN_DEPTH, result.depth())
          .put(SPAN_FAN_OUT, result.childCount());
      if (result.onCriticalPath()) {
        added.put(SPAN_ON_CRITICAL_PATH, true);
      }
    } else if (bottleneck != null && level == AttributeLevel.STANDARD) {
      // Why it is the bottleneck: its own time on the critical path; its self time too where
      // that says more (a leaf wholly on the path has the same figure twice).
      added.put(SPAN_CRITICAL_PATH_NS, result.criticalPathNanos());
      if (result.selfTimeNanos() != result.criticalPathNanos()) {
        added.put(SPAN_SELF_TIME_NS, result.selfTimeNanos());
      }
    }
    if (bottleneck != null) {
      added.put(SPAN_BOTTLENECK, true).put(SPAN_BOTTLENECK_CATEGORY, bottleneck.attributeValue());
    }
    if (result.errorFingerprint() != null && level != AttributeLevel.MINIMAL) {
      added.put(SPAN_ERROR_FINGERPRINT, result.errorFingerprint());
    }
    if (facts.rootCause != null && facts.rootCause.spanId().equals(result.spanId())) {
      added.put(SPAN_ROOT_CAUSE, true);
    }
    if (facts.errorChain.contains(result.spanId())) {
      added.put(SPAN_ERROR_CHAIN, true);
    }
    NPlusOne nPlusOne = facts.nPlusOneByParent.get(result.spanId());
    if (nPlusOne != null) {
      added
          .put(SPAN_N_PLUS_ONE_COUNT, nPlusOne.count())
          .put(SPAN_N_PLUS_ONE_STATEMENT, nPlusOne.statement())
          .put(SPAN_N_PLUS_ONE_KIND, nPlusOne.kind().attributeValue());
      if (!nPlusOne.via().isEmpty()) {
        added.put(SPAN_N_PLUS_ONE_VIA, String.join(" > ", nPlusOne.via()));
      }
    }
  }

  /** Whether the span's captured allocation stays out of the export at this level. */
  private boolean hidesAllocation(SpanAnalysis result) {
    switch (level) {
      case MINIMAL:
        return result.allocatedBytes() >= 0;
      case STANDARD:
        return result.allocatedBytes() >= 0 && result.allocatedBytes() < minAllocatedBytes;
      default:
        return false;
    }
  }

  /**
   * {@code span} with more attributes, as the same view the enrichment uses (no attribute set is
   * rebuilt). {@code added} alternates keys and values; its keys must not be on {@code span}.
   */
  public static SpanData withAdded(SpanData span, Object... added) {
    return added.length == 0 ? span : new EnrichedSpanData(span, added, null, false);
  }

  /** A span that ended after its local trace was analysed and exported. */
  public static SpanData markLate(SpanData span) {
    return new EnrichedSpanData(span, new Object[] {SPAN_LATE, true}, null, false);
  }

  /** A late span of a trace a tail decision kept: it follows the trace, as sampled. */
  public static SpanData markLate(SpanData span, String samplingReason) {
    return markKept(span, samplingReason, /* late= */ true);
  }

  private static SpanData markKept(SpanData span, String samplingReason, boolean late) {
    Object[] added =
        late
            ? new Object[] {SAMPLING_REASON, samplingReason, SPAN_LATE, true}
            : new Object[] {SAMPLING_REASON, samplingReason};
    return new EnrichedSpanData(span, added, null, true);
  }

  /** A span exported without analysis, and why. */
  public static SpanData markUnanalyzed(SpanData span, ReleaseReason reason) {
    return new EnrichedSpanData(
        span, new Object[] {SPAN_UNANALYZED, reason.attributeValue()}, null, false);
  }

  private void putTraceSummary(TraceAnalysis analysis, Added added) {
    boolean full = level == AttributeLevel.FULL;
    boolean minimal = level == AttributeLevel.MINIMAL;
    TraceTotals totals = analysis.totals();
    if (full) {
      added
          .put(TRACE_DURATION_NS, totals.durationNanos())
          .put(TRACE_SPAN_COUNT, totals.spanCount())
          .put(TRACE_ERROR_COUNT, totals.errorCount());
    } else if (!minimal && totals.errorCount() > 0) {
      added.put(TRACE_ERROR_COUNT, totals.errorCount());
    }
    if (totals.hasAllocatedBytes() && !minimal) {
      added.put(TRACE_ALLOCATED_BYTES, totals.allocatedBytes());
    }
    TraceShape shape = analysis.shape();
    if (full) {
      added.put(TRACE_DEPTH, shape.depth()).put(TRACE_MAX_FAN_OUT, shape.maxFanOut());
    }
    if (full || (!minimal && shape.depthStatus() != ThresholdStatus.OK)) {
      added.put(TRACE_DEPTH_STATUS, shape.depthStatus().attributeValue());
    }
    if (full || (!minimal && shape.fanOutStatus() != ThresholdStatus.OK)) {
      added.put(TRACE_FAN_OUT_STATUS, shape.fanOutStatus().attributeValue());
    }

    if (!minimal) {
      List<String> path = criticalPathSpanIds(analysis, full);
      if (!path.isEmpty()) {
        added.put(TRACE_CRITICAL_PATH_SPAN_IDS, path);
      }
    }

    if (!analysis.bottlenecks().isEmpty()) {
      Bottleneck first = analysis.bottlenecks().get(0);
      // The ids only at full: below it the bottleneck spans carry their own marker.
      if (full) {
        List<String> ids = new ArrayList<>(analysis.bottlenecks().size());
        analysis.bottlenecks().forEach(bottleneck -> ids.add(bottleneck.spanId()));
        added.put(TRACE_BOTTLENECK_SPAN_IDS, ids);
      }
      added
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

  /**
   * The spans on the critical path, each once, latest first: a parent the walk returns to between
   * its children (a loop of queries) would otherwise be listed once per child. Below {@code full}
   * only those with a large enough share of it (see {@link #STANDARD_CRITICAL_PATH_SHARE_DIVISOR}).
   */
  private static List<String> criticalPathSpanIds(TraceAnalysis analysis, boolean everySpan) {
    List<CriticalPathSection> sections = analysis.criticalPath();
    long duration = analysis.totals().durationNanos();
    int most = Math.min(sections.size(), MAX_CRITICAL_PATH_SPAN_IDS);
    List<String> ids = new ArrayList<>(everySpan ? most : 4);
    boolean[] considered = new boolean[analysis.spans().size()];
    for (int i = 0; i < sections.size() && ids.size() < most; i++) {
      String spanId = sections.get(i).spanId();
      int span = analysis.indexOf(spanId);
      if (span < 0) {
        ids.add(spanId); // not analysed, so no share to judge it by
      } else if (!considered[span]) {
        considered[span] = true;
        long onPath = analysis.spans().get(span).criticalPathNanos();
        if (everySpan || onPath * STANDARD_CRITICAL_PATH_SHARE_DIVISOR >= duration) {
          ids.add(spanId);
        }
      }
    }
    return ids;
  }

  @Override
  public String toString() {
    return "SpanEnricher{level="
        + level.configValue()
        + (level == AttributeLevel.STANDARD ? ", minAllocatedBytes=" + minAllocatedBytes : "")
        + '}';
  }

  /** One span's added attributes, collected in a scratch array reused across a trace's spans. */
  private static final class Added {
    private Object[] pairs = new Object[16];
    private int length;

    <T> Added put(AttributeKey<T> key, T value) {
      if (length == pairs.length) {
        pairs = Arrays.copyOf(pairs, length * 2);
      }
      pairs[length++] = key;
      pairs[length++] = value;
      return this;
    }

    Added put(AttributeKey<Long> key, int value) {
      return put(key, (long) value);
    }

    boolean isEmpty() {
      return length == 0;
    }

    /** The pairs collected since the last take, as an array of their own. */
    Object[] take() {
      Object[] taken = length == 0 ? NOTHING : Arrays.copyOf(pairs, length);
      Arrays.fill(pairs, 0, length, null);
      length = 0;
      return taken;
    }
  }
}
