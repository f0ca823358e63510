package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceShapeTest {

  /** A chain of {@code depth} nested spans "s0" > "s1" > ... */
  private static List<SpanData> chain(int depth) {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      TestSpans.Builder span = span("s" + i).at(i, 1000 - i);
      if (i > 0) {
        span.parent("s" + (i - 1));
      }
      spans.add(span.build());
    }
    return spans;
  }

  /** A root with {@code count} children. */
  private static List<SpanData> fan(int count) {
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 1000).build());
    for (int i = 0; i < count; i++) {
      spans.add(span("c" + i).parent("root").at(i, i + 1).build());
    }
    return spans;
  }

  @Test
  void depthAgainstTheDefaultThresholds() {
    TraceAnalyzer analyzer = TraceAnalyzer.create();

    assertThat(analyzer.analyze(chain(15)).shape().depthStatus()).isEqualTo(ThresholdStatus.OK);
    assertThat(analyzer.analyze(chain(16)).shape().depthStatus())
        .isEqualTo(ThresholdStatus.WARNING);
    assertThat(analyzer.analyze(chain(25)).shape().depthStatus())
        .isEqualTo(ThresholdStatus.WARNING);
    TraceShape deep = analyzer.analyze(chain(26)).shape();
    assertThat(deep.depth()).isEqualTo(26);
    assertThat(deep.depthStatus()).isEqualTo(ThresholdStatus.CRITICAL);
  }

  @Test
  void fanOutAgainstConfiguredThresholds() {
    TraceAnalyzer analyzer =
        TraceAnalyzer.create(AnalysisSettings.defaults().withFanOutThresholds(2, 3));

    assertThat(analyzer.analyze(fan(2)).shape().fanOutStatus()).isEqualTo(ThresholdStatus.OK);
    assertThat(analyzer.analyze(fan(3)).shape().fanOutStatus()).isEqualTo(ThresholdStatus.WARNING);
    TraceShape wide = analyzer.analyze(fan(4)).shape();
    assertThat(wide)
        .isEqualTo(new TraceShape(2, ThresholdStatus.OK, 4, id("root"), ThresholdStatus.CRITICAL));
  }

  @Test
  void loneSpanHasDepthOneAndNoFanOut() {
    assertThat(TraceAnalyzer.create().analyze(List.of(span("root").at(0, 1).build())).shape())
        .isEqualTo(new TraceShape(1, ThresholdStatus.OK, 0, null, ThresholdStatus.OK));
  }

  @Test
  void countsAllTreesAndAllChildren() {
    // root has 2 children; the orphan (missing parent) has 3, one of them a non-blocking
    // async child that starts after the orphan ended: fan-out still counts it.
    // Depth: orphan > o1 > o11 is 3 levels, deeper than root's tree.
    TraceAnalysis analysis =
        TraceAnalyzer.create()
            .analyze(
                List.of(
                    span("root").at(0, 100).build(),
                    span("r1").parent("root").at(1, 2).build(),
                    span("r2").parent("root").at(3, 4).build(),
                    span("orphan").parentId(id("lost")).at(10, 20).build(),
                    span("o1").parent("orphan").at(11, 12).build(),
                    span("o2").parent("orphan").at(13, 14).build(),
                    span("o3").parent("orphan").at(30, 40).build(),
                    span("o11").parent("o1").at(11, 12).build()));

    assertThat(analysis.shape().depth()).isEqualTo(3);
    assertThat(analysis.shape().maxFanOut()).isEqualTo(3);
    assertThat(analysis.shape().maxFanOutSpanId()).isEqualTo(id("orphan"));
    assertThat(analysis.span(id("root")).childCount()).isEqualTo(2);
    assertThat(analysis.span(id("o11")).depth()).isEqualTo(3);
  }
}
