package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Looking spans up by id in a result, whether the analyzer made it or a caller did. */
class TraceAnalysisLookupTest {

  @Test
  void analysedSpansAreFoundAtTheirInputPosition() {
    TraceAnalysis analysis =
        TraceAnalyzer.create()
            .analyze(
                List.of(
                    span("child").parent("root").at(10, 20).build(),
                    span("root").at(0, 100).build(),
                    span("leaf").parent("child").at(12, 18).build()));

    assertThat(analysis.indexOf(id("child"))).isZero();
    assertThat(analysis.indexOf(id("root"))).isEqualTo(1);
    assertThat(analysis.indexOf(id("leaf"))).isEqualTo(2);
    assertThat(analysis.indexOf(id("missing"))).isEqualTo(-1);
    assertThat(analysis.span(id("leaf")).name()).isEqualTo("leaf");
    assertThat(analysis.span(id("missing"))).isNull();
  }

  @Test
  void aResultBuiltByHandIndexesItsOwnSpans() {
    TraceAnalysis analyzed =
        TraceAnalyzer.create()
            .analyze(
                List.of(
                    span("root").at(0, 100).build(), span("a").parent("root").at(1, 2).build()));
    TraceAnalysis copy =
        new TraceAnalysis(
            analyzed.traceId(),
            analyzed.rootSpanId(),
            List.of(analyzed.spans().get(1), analyzed.spans().get(0)),
            analyzed.criticalPath(),
            analyzed.bottlenecks(),
            analyzed.rootCause(),
            analyzed.errorGroups(),
            analyzed.nPlusOne(),
            analyzed.shape(),
            analyzed.totals(),
            analyzed.orphanSpanIds());

    assertThat(copy.indexOf(id("a"))).isZero();
    assertThat(copy.indexOf(id("root"))).isEqualTo(1);
    assertThat(copy.span(id("root")).name()).isEqualTo("root");
  }
}
