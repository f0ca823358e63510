package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.semconv.InsightAttributes;
import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllocatedBytesTest {

  private static TestSpans.Builder measured(String name, String thread, long bytes) {
    TestSpans.Builder span = span(name).attribute(InsightAttributes.SPAN_ALLOCATED_BYTES, bytes);
    return thread == null ? span : span.attribute(InsightAttributes.THREAD_NAME, thread);
  }

  private static TraceAnalysis analyze(SpanData... spans) {
    return TraceAnalyzer.create().analyze(List.of(spans));
  }

  @Test
  void countsEachThreadsOutermostMeasuredSpanOnce() {
    // time      0    10   20   30   40   50   60   70   80   90   100
    // root      [=================================================]   main      1000  counted
    // child          [======================]                          main       400  in root
    // grand              [============]                                worker-1   300  counted
    // ggrand               [======]                                    worker-1    50  in grand
    // async                                     [==========================]  worker-2 200 counted
    // plain                                [======]                    not measured
    // deep                                  [==]                       main       100  in root
    // unnamed                                                [==]      no thread   70  in root
    TraceAnalysis analysis =
        analyze(
            measured("root", "main", 1000).at(0, 100).build(),
            measured("child", "main", 400).parent("root").at(10, 50).build(),
            measured("grand", "worker-1", 300).parent("child").at(15, 40).build(),
            measured("ggrand", "worker-1", 50).parent("grand").at(18, 30).build(),
            measured("async", "worker-2", 200).parent("root").at(55, 120).build(),
            span("plain").parent("root").at(45, 60).build(),
            measured("deep", "main", 100).parent("plain").at(46, 50).build(),
            measured("unnamed", null, 70).parent("root").at(80, 90).build());

    assertThat(analysis.totals().allocatedBytes()).isEqualTo(1000 + 300 + 200);
    assertThat(analysis.totals().hasAllocatedBytes()).isTrue();
    assertThat(analysis.span(id("child")).allocatedBytes()).isEqualTo(400);
    assertThat(analysis.span(id("plain")).allocatedBytes()).isEqualTo(TraceTotals.NOT_MEASURED);
  }

  @Test
  void siblingsOnDifferentThreadsUnderAnUnmeasuredRootAddUp() {
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 100).build(),
            measured("a", "main", 10).parent("root").at(10, 20).build(),
            measured("b", "pool-1", 20).parent("root").at(30, 40).build(),
            // No thread name: assumed to share b's thread, so already in b's 20.
            measured("c", null, 5).parent("b").at(31, 32).build(),
            // Another tree (missing parent) counts too.
            measured("orphan", "main", 7).parentId(id("lost")).at(50, 60).build());

    assertThat(analysis.totals().allocatedBytes()).isEqualTo(10 + 20 + 7);
  }

  @Test
  void measuredAncestorWithoutThreadNameCoversEveryDescendant() {
    TraceAnalysis analysis =
        analyze(
            measured("root", null, 100).at(0, 100).build(),
            measured("a", "worker", 30).parent("root").at(10, 20).build());

    assertThat(analysis.totals().allocatedBytes()).isEqualTo(100);
  }

  @Test
  void notMeasuredWhenNoSpanCarriesAMeasurement() {
    TraceAnalysis analysis =
        analyze(span("root").at(0, 100).attribute(InsightAttributes.THREAD_NAME, "main").build());

    assertThat(analysis.totals().allocatedBytes()).isEqualTo(TraceTotals.NOT_MEASURED);
    assertThat(analysis.totals().hasAllocatedBytes()).isFalse();
    assertThat(analysis.span(id("root")).allocatedBytes()).isEqualTo(TraceTotals.NOT_MEASURED);
  }
}
