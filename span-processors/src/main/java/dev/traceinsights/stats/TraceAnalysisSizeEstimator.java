package dev.traceinsights.stats;

import dev.traceinsights.analysis.ErrorGroup;
import dev.traceinsights.analysis.NPlusOne;
import dev.traceinsights.analysis.RootCause;
import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;

/**
 * A cheap, deliberately generous estimate of the heap a retained {@link TraceAnalysis} holds, in
 * the manner of the assembly's span size estimate. Sizes assume compressed references (12-byte
 * headers, 4-byte references, 8-byte alignment) and count every string as if it were not shared, at
 * 2 bytes a character:
 *
 * <ul>
 *   <li>{@value #BASE_BYTES} bytes for the analysis object, its trace id, lists, id map, shape,
 *       totals and the retention entry;
 *   <li>{@value #PER_SPAN_BYTES} bytes per span: its {@code SpanAnalysis} record (88), span id
 *       string (56), id-map node and table slots (48), list slot (4), name string header (40, plus
 *       2 bytes a character);
 *   <li>{@value #PER_ERROR_BYTES} bytes per errored span (its fingerprint string);
 *   <li>{@value #PER_SECTION_BYTES} bytes per critical path section and per bottleneck;
 *   <li>for the root cause, each error group and each N+1 finding a record plus its strings and id
 *       lists.
 * </ul>
 *
 * O(spans); it reads only string lengths.
 */
final class TraceAnalysisSizeEstimator {

  static final int BASE_BYTES = 512;
  static final int PER_SPAN_BYTES = 240;
  static final int PER_ERROR_BYTES = 56;
  static final int PER_SECTION_BYTES = 40;
  static final int PER_RECORD_BYTES = 64;
  static final int PER_STRING_BYTES = 40;
  static final int PER_REFERENCE_BYTES = 4;

  private TraceAnalysisSizeEstimator() {}

  static long estimate(TraceAnalysis analysis) {
    long bytes = BASE_BYTES;
    for (SpanAnalysis span : analysis.spans()) {
      bytes += PER_SPAN_BYTES + 2L * span.name().length();
      if (span.errorFingerprint() != null) {
        bytes += PER_ERROR_BYTES;
      }
    }
    bytes += (long) PER_SECTION_BYTES * analysis.criticalPath().size();
    bytes += (long) PER_SECTION_BYTES * analysis.bottlenecks().size();
    RootCause rootCause = analysis.rootCause();
    if (rootCause != null) {
      bytes +=
          PER_RECORD_BYTES
              + 2 * PER_STRING_BYTES
              + 2L * (rootCause.errorType().length() + rootCause.message().length())
              + (long) PER_REFERENCE_BYTES * rootCause.chain().size();
    }
    for (ErrorGroup group : analysis.errorGroups()) {
      bytes += PER_RECORD_BYTES + PER_STRING_BYTES + 2L * group.errorType().length();
    }
    for (NPlusOne nPlusOne : analysis.nPlusOne()) {
      bytes +=
          PER_RECORD_BYTES
              + PER_STRING_BYTES
              + 2L * nPlusOne.statement().length()
              + (long) PER_REFERENCE_BYTES * nPlusOne.count();
    }
    return bytes;
  }
}
