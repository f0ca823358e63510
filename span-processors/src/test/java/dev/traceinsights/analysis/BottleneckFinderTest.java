package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.semconv.InsightAttributes;
import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

class BottleneckFinderTest {

  private static TraceAnalysis analyze(SpanData... spans) {
    return TraceAnalyzer.create().analyze(List.of(spans));
  }

  /** The category of a leaf span that is the whole 0..100 root's only child on 10..90. */
  private static BottleneckCategory categoryOf(TestSpans.Builder leaf) {
    TraceAnalysis analysis =
        analyze(span("root").at(0, 100).build(), leaf.parent("root").at(10, 90).build());
    assertThat(analysis.bottlenecks()).hasSize(1);
    assertThat(analysis.bottlenecks().get(0).spanId()).isEqualTo(id("leaf"));
    return analysis.bottlenecks().get(0).category();
  }

  @Test
  void databaseFromEitherSemanticConventionAttribute() {
    assertThat(categoryOf(span("leaf").kind(SpanKind.CLIENT).attribute("db.system", "h2")))
        .isEqualTo(BottleneckCategory.DATABASE);
    assertThat(
            categoryOf(
                span("leaf").kind(SpanKind.CLIENT).attribute("db.system.name", "postgresql")))
        .isEqualTo(BottleneckCategory.DATABASE);
  }

  @Test
  void messagingFromAttributeOrKind() {
    assertThat(
            categoryOf(span("leaf").kind(SpanKind.CLIENT).attribute("messaging.system", "kafka")))
        .isEqualTo(BottleneckCategory.MESSAGING);
    assertThat(categoryOf(span("leaf").kind(SpanKind.PRODUCER)))
        .isEqualTo(BottleneckCategory.MESSAGING);
    assertThat(categoryOf(span("leaf").kind(SpanKind.CONSUMER)))
        .isEqualTo(BottleneckCategory.MESSAGING);
  }

  @Test
  void remoteCallForOtherClientSpans() {
    assertThat(categoryOf(span("leaf").kind(SpanKind.CLIENT).attribute("http.method", "GET")))
        .isEqualTo(BottleneckCategory.REMOTE_CALL);
  }

  @Test
  void internalForServerAndInternalSpans() {
    assertThat(categoryOf(span("leaf").kind(SpanKind.SERVER)))
        .isEqualTo(BottleneckCategory.INTERNAL);
    assertThat(categoryOf(span("leaf").kind(SpanKind.INTERNAL)))
        .isEqualTo(BottleneckCategory.INTERNAL);
  }

  @Test
  void unknownWhenMeasuredCpuTimeIsBelowHalfTheSelfTime() {
    // The leaf's self time is 80 ns.
    assertThat(categoryOf(span("leaf").attribute(InsightAttributes.SPAN_CPU_TIME_NS, 39L)))
        .isEqualTo(BottleneckCategory.UNKNOWN);
    assertThat(categoryOf(span("leaf").attribute(InsightAttributes.SPAN_CPU_TIME_NS, 40L)))
        .isEqualTo(BottleneckCategory.INTERNAL);
    // CPU time says nothing about a database or remote call: the call itself is the wait.
    assertThat(
            categoryOf(
                span("leaf")
                    .kind(SpanKind.CLIENT)
                    .attribute(InsightAttributes.SPAN_CPU_TIME_NS, 1L)))
        .isEqualTo(BottleneckCategory.REMOTE_CALL);
  }

  @Test
  void bottleneckCarriesCriticalPathAndSelfTime() {
    // time  0    10   20   30   40   50   60   70   80   90   100
    // root  [###################=====##########==========]          SERVER 0..90
    // db                        [####]                              CLIENT 40..50
    // late                                     [##########|=====]   70..100, clamped to 70..90
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 90).kind(SpanKind.SERVER).build(),
            span("db").parent("root").at(40, 50).kind(SpanKind.CLIENT).build(),
            span("late").parent("root").at(70, 100).build());

    // root: 0..40 and 50..70 = 60; late: 70..90 = 20; db: 10.
    assertThat(analysis.bottlenecks())
        .containsExactly(new Bottleneck(id("root"), "root", BottleneckCategory.INTERNAL, 60, 60));
  }
}
