package dev.traceinsights.analysis;

import static java.util.Collections.unmodifiableList;
import static java.util.Objects.requireNonNull;

import dev.traceinsights.internal.SpanIdIndex;
import java.util.List;
import javax.annotation.Nullable;

/** Everything the analysis found about one trace. Immutable. */
public final class TraceAnalysis {

  private final String traceId;
  private final String rootSpanId;
  private final List<SpanAnalysis> spans;
  private final List<CriticalPathSection> criticalPath;
  private final List<Bottleneck> bottlenecks;
  @Nullable private final RootCause rootCause;
  private final List<ErrorGroup> errorGroups;
  private final List<NPlusOne> nPlusOne;
  private final TraceShape shape;
  private final TraceTotals totals;
  // Positions in spans, by span id: no entry object per span, unlike a HashMap.
  private final SpanIdIndex spansById;
  private final List<String> orphanSpanIds;

  public TraceAnalysis(
      String traceId,
      String rootSpanId,
      List<SpanAnalysis> spans,
      List<CriticalPathSection> criticalPath,
      List<Bottleneck> bottlenecks,
      @Nullable RootCause rootCause,
      List<ErrorGroup> errorGroups,
      List<NPlusOne> nPlusOne,
      TraceShape shape,
      TraceTotals totals,
      List<String> orphanSpanIds) {
    this(
        traceId,
        rootSpanId,
        List.copyOf(spans),
        List.copyOf(criticalPath),
        List.copyOf(bottlenecks),
        rootCause,
        List.copyOf(errorGroups),
        List.copyOf(nPlusOne),
        shape,
        totals,
        List.copyOf(orphanSpanIds),
        null);
  }

  /**
   * Takes the lists as they are: the caller must not change them afterwards, nor hold nulls in
   * them.
   *
   * @param spansById the span ids' positions in {@code spans} when the analyzer has them already
   *     (its graph's index: the same input order), else null
   */
  TraceAnalysis(
      String traceId,
      String rootSpanId,
      List<SpanAnalysis> spans,
      List<CriticalPathSection> criticalPath,
      List<Bottleneck> bottlenecks,
      @Nullable RootCause rootCause,
      List<ErrorGroup> errorGroups,
      List<NPlusOne> nPlusOne,
      TraceShape shape,
      TraceTotals totals,
      List<String> orphanSpanIds,
      @Nullable SpanIdIndex spansById) {
    this.traceId = requireNonNull(traceId, "traceId");
    this.rootSpanId = requireNonNull(rootSpanId, "rootSpanId");
    // The lists are the caller's to give away (the analyzer's own, or copies the public
    // constructor made): a read-only view costs one small object, a copy an array per list.
    this.spans = unmodifiableList(spans);
    this.criticalPath = unmodifiableList(criticalPath);
    this.bottlenecks = unmodifiableList(bottlenecks);
    this.rootCause = rootCause;
    this.errorGroups = unmodifiableList(errorGroups);
    this.nPlusOne = unmodifiableList(nPlusOne);
    this.shape = requireNonNull(shape, "shape");
    this.totals = requireNonNull(totals, "totals");
    this.orphanSpanIds = unmodifiableList(orphanSpanIds);
    if (spansById != null) {
      this.spansById = spansById;
    } else {
      this.spansById = new SpanIdIndex(this.spans.size());
      for (int i = 0; i < this.spans.size(); i++) {
        this.spansById.putIfAbsent(this.spans.get(i).spanId(), i);
      }
    }
  }

  public String traceId() {
    return traceId;
  }

  /** The span the critical path starts from: the trace's root, or the local root in process. */
  public String rootSpanId() {
    return rootSpanId;
  }

  /** One entry per analysed span, in the order the spans were given to the analyzer. */
  public List<SpanAnalysis> spans() {
    return spans;
  }

  @Nullable
  public SpanAnalysis span(String spanId) {
    int index = spansById.get(spanId);
    return index < 0 ? null : spans.get(index);
  }

  /** The span's position in {@link #spans()}, -1 when it is not in the trace. */
  public int indexOf(String spanId) {
    return spansById.get(spanId);
  }

  /** Sections in order from the root's end backwards (latest section first). */
  public List<CriticalPathSection> criticalPath() {
    return criticalPath;
  }

  /** The span(s) with the largest own time on the critical path; empty for an empty path. */
  public List<Bottleneck> bottlenecks() {
    return bottlenecks;
  }

  /** The root-cause error, null when no span errored. */
  @Nullable
  public RootCause rootCause() {
    return rootCause;
  }

  /** Errored spans grouped by fingerprint, largest group first. */
  public List<ErrorGroup> errorGroups() {
    return errorGroups;
  }

  public List<NPlusOne> nPlusOne() {
    return nPlusOne;
  }

  public TraceShape shape() {
    return shape;
  }

  /**
   * Roots of orphan subtrees: spans other than the {@linkplain #rootSpanId() primary root} whose
   * parent is named but missing from the trace (lost, dropped, or not yet arrived), in input order.
   * Their subtrees are analysed, but are not on the critical path.
   */
  public List<String> orphanSpanIds() {
    return orphanSpanIds;
  }

  /** Whether spans of the trace are missing: it has {@linkplain #orphanSpanIds() orphans}. */
  public boolean incomplete() {
    return !orphanSpanIds.isEmpty();
  }

  public TraceTotals totals() {
    return totals;
  }

  @Override
  public String toString() {
    return "TraceAnalysis{traceId="
        + traceId
        + ", spans="
        + spans.size()
        + ", criticalPathSections="
        + criticalPath.size()
        + ", bottlenecks="
        + bottlenecks
        + ", rootCause="
        + rootCause
        + ", nPlusOne="
        + nPlusOne.size()
        + ", shape="
        + shape
        + ", totals="
        + totals
        + '}';
  }
}
