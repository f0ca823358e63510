package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.semconv.InsightAttributes;
import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 10 000-span traces, wide and deep, with exact expected results. */
class LargeTraceTest {

  private static final int SPANS = 10_000;

  private static String spanId(int i) {
    return String.format("%016x", i + 1);
  }

  @Test
  void wideTraceOfOneRootWithNineThousandNineHundredNinetyNineChildren() {
    // time   0   5   10  15  20      ...      99980  99985       100000
    // root   [###====###====###=== ... ###=====#################]
    // c0     [===]
    // c1             [===]
    // ...
    // c9998                                   [====]
    //
    // Child k runs 10k..10k+5, given in reverse order. The path alternates between the root
    // (the 5 ns gaps, plus 99985..100000) and each child.
    List<SpanData> spans = new ArrayList<>(SPANS);
    spans.add(span("root").spanId(spanId(0)).kind(SpanKind.SERVER).at(0, 100_000).build());
    for (int k = SPANS - 2; k >= 0; k--) {
      spans.add(
          span("child")
              .spanId(spanId(k + 1))
              .parentId(spanId(0))
              .kind(SpanKind.CLIENT)
              .attribute("db.system", "h2")
              .attribute("db.statement", "select * from t where id = " + k)
              .at(10L * k, 10L * k + 5)
              .build());
    }

    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);

    List<CriticalPathSection> expected = new ArrayList<>();
    expected.add(new CriticalPathSection(spanId(0), 99_985, 100_000));
    for (int k = SPANS - 2; k >= 0; k--) {
      expected.add(new CriticalPathSection(spanId(k + 1), 10L * k, 10L * k + 5));
      if (k > 0) {
        expected.add(new CriticalPathSection(spanId(0), 10L * k - 5, 10L * k));
      }
    }
    assertThat(analysis.criticalPath()).isEqualTo(expected);
    assertThat(analysis.criticalPath()).hasSize(19_998);

    long rootOnPath = 15 + 9_998 * 5;
    SpanAnalysis root = analysis.span(spanId(0));
    assertThat(root.criticalPathNanos()).isEqualTo(rootOnPath);
    assertThat(root.selfTimeNanos()).isEqualTo(100_000 - 9_999 * 5);
    assertThat(root.childCount()).isEqualTo(9_999);
    for (int k = 1; k < SPANS; k++) {
      SpanAnalysis child = analysis.span(spanId(k));
      assertThat(child.criticalPathNanos()).isEqualTo(5);
      assertThat(child.selfTimeNanos()).isEqualTo(5);
      assertThat(child.depth()).isEqualTo(2);
    }
    assertThat(analysis.spans().get(1).spanId()).isEqualTo(spanId(SPANS - 1)); // input order
    assertThat(analysis.bottlenecks())
        .containsExactly(
            new Bottleneck(spanId(0), "root", BottleneckCategory.INTERNAL, rootOnPath, rootOnPath));
    assertThat(analysis.shape())
        .isEqualTo(
            new TraceShape(2, ThresholdStatus.OK, 9_999, spanId(0), ThresholdStatus.CRITICAL));
    assertThat(analysis.nPlusOne()).hasSize(1);
    NPlusOne nPlusOne = analysis.nPlusOne().get(0);
    assertThat(nPlusOne.statement()).isEqualTo("select * from t where id = ?");
    assertThat(nPlusOne.count()).isEqualTo(9_999);
    assertThat(nPlusOne.spanIds().get(0)).isEqualTo(spanId(1)); // start order
    assertThat(nPlusOne.spanIds().get(9_998)).isEqualTo(spanId(9_999));
    assertThat(analysis.totals()).isEqualTo(new TraceTotals(100_000, SPANS, 0, -1));
  }

  @Test
  void deepTraceOfATenThousandLevelChain() {
    // time  0 1 2 ...  9999   20001 ... 29998 29999 30000
    // s0    [#=========================================#]
    // s1      [#=====================================#]
    // ...
    // s9998           [#=================#]                  9998..20002
    // s9999            [#################]                   9999..20001, throws
    //
    // Span k runs k..30000-k; the leaf is 9999..20001. Every span but the leaf owns 1 ns at
    // each end. Every level records an error: the leaf's exception propagated up.
    List<SpanData> spans = new ArrayList<>(SPANS);
    for (int k = 0; k < SPANS; k++) {
      boolean leaf = k == SPANS - 1;
      TestSpans.Builder span =
          span("s")
              .spanId(spanId(k))
              .at(k, leaf ? 20_001 : 30_000 - k)
              .attribute(InsightAttributes.THREAD_NAME, "main")
              .attribute(InsightAttributes.SPAN_ALLOCATED_BYTES, (long) (SPANS - k))
              .errorStatus("");
      if (k > 0) {
        span.parentId(spanId(k - 1));
      }
      if (leaf) {
        span.exception("java.lang.IllegalStateException", "too deep", null);
      }
      spans.add(span.build());
    }

    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);

    List<CriticalPathSection> expected = new ArrayList<>();
    for (int k = 0; k < SPANS - 1; k++) {
      expected.add(new CriticalPathSection(spanId(k), 30_000 - k - 1, 30_000 - k));
    }
    expected.add(new CriticalPathSection(spanId(SPANS - 1), 9_999, 20_001));
    for (int k = SPANS - 2; k >= 0; k--) {
      expected.add(new CriticalPathSection(spanId(k), k, k + 1));
    }
    assertThat(analysis.criticalPath()).isEqualTo(expected);
    for (int k = 0; k < SPANS - 1; k++) {
      assertThat(analysis.span(spanId(k)).criticalPathNanos()).isEqualTo(2);
      assertThat(analysis.span(spanId(k)).selfTimeNanos()).isEqualTo(2);
      assertThat(analysis.span(spanId(k)).depth()).isEqualTo(k + 1);
    }
    assertThat(analysis.bottlenecks())
        .containsExactly(
            new Bottleneck(spanId(SPANS - 1), "s", BottleneckCategory.INTERNAL, 10_002, 10_002));
    assertThat(analysis.shape())
        .isEqualTo(
            new TraceShape(SPANS, ThresholdStatus.CRITICAL, 1, spanId(0), ThresholdStatus.OK));

    RootCause rootCause = analysis.rootCause();
    assertThat(rootCause.spanId()).isEqualTo(spanId(SPANS - 1));
    assertThat(rootCause.errorType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(rootCause.chain()).hasSize(SPANS);
    assertThat(rootCause.chain().get(SPANS - 1)).isEqualTo(spanId(0));
    // The outermost span on "main" includes all nested allocations.
    assertThat(analysis.totals()).isEqualTo(new TraceTotals(30_000, SPANS, SPANS, SPANS));
  }
}
