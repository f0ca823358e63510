package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation, tree building, the primary root and clamping. */
class TraceGraphTest {

  private static TraceGraph graph(SpanData... spans) {
    return TraceGraph.of(List.of(spans));
  }

  private static String primaryRoot(SpanData... spans) {
    TraceGraph graph = graph(spans);
    return graph.spanIds[graph.primaryRoot];
  }

  @Test
  void rejectsNoSpans() {
    assertThatThrownBy(() -> TraceAnalyzer.create().analyze(List.of()))
        .isInstanceOf(InvalidTraceException.class)
        .hasMessage("no spans");
  }

  @Test
  void rejectsSpansOfSeveralTraces() {
    String other = "11111111111111111111111111111111";
    assertThatThrownBy(
            () ->
                graph(
                    span("a").at(0, 10).build(),
                    span("b").parent("a").at(1, 2).traceId(other).build()))
        .isInstanceOf(InvalidTraceException.class)
        .hasMessageContaining("more than one trace")
        .hasMessageContaining(TestSpans.TRACE_ID)
        .hasMessageContaining(other)
        .hasMessageContaining(id("a"))
        .hasMessageContaining(id("b"));
  }

  @Test
  void rejectsAnInvalidSpanId() {
    assertThatThrownBy(
            () ->
                graph(
                    span("a").at(0, 10).build(),
                    span("b").spanId("0000000000000000").parent("a").at(1, 2).build()))
        .isInstanceOf(InvalidTraceException.class)
        .hasMessageContaining("'b'")
        .hasMessageContaining("invalid span context")
        .hasMessageContaining("0000000000000000");
  }

  @Test
  void rejectsADuplicateSpanId() {
    assertThatThrownBy(
            () ->
                graph(
                    span("a").at(0, 10).build(),
                    span("b").spanId(id("a")).parent("a").at(1, 2).build()))
        .isInstanceOf(InvalidTraceException.class)
        .hasMessage("duplicate span id " + id("a") + " (spans 'a' and 'b')");
  }

  @Test
  void rejectsACycleNamingItsSpans() {
    assertThatThrownBy(
            () ->
                graph(
                    span("root").at(0, 10).build(),
                    span("a").parent("b").at(1, 2).build(),
                    span("b").parent("a").at(1, 2).build()))
        .isInstanceOf(InvalidTraceException.class)
        .hasMessage("cycle in parent links: " + id("a") + " -> " + id("b") + " -> " + id("a"));
  }

  @Test
  void rejectsACycleReachedThroughATail() {
    // c hangs below the cycle a -> b -> a: the message names the cycle, not the tail.
    assertThatThrownBy(
            () ->
                graph(
                    span("c").parent("a").at(1, 2).build(),
                    span("a").parent("b").at(1, 2).build(),
                    span("b").parent("a").at(1, 2).build()))
        .isInstanceOf(InvalidTraceException.class)
        .hasMessage("cycle in parent links: " + id("a") + " -> " + id("b") + " -> " + id("a"));
  }

  @Test
  void rejectsASpanThatIsItsOwnParent() {
    assertThatThrownBy(() -> graph(span("a").parent("a").at(1, 2).build()))
        .isInstanceOf(InvalidTraceException.class)
        .hasMessage("cycle in parent links: " + id("a") + " -> " + id("a"));
  }

  @Test
  void primaryRootIsTheEarliestTrueRoot() {
    // An orphan that starts earlier does not beat a span that has no parent at all.
    assertThat(
            primaryRoot(
                span("orphan").parentId(id("lost")).at(0, 100).build(),
                span("late").at(20, 30).build(),
                span("early").at(10, 20).build()))
        .isEqualTo(id("early"));
  }

  @Test
  void primaryRootTiesOnLongestDurationThenInputOrder() {
    assertThat(primaryRoot(span("short").at(10, 20).build(), span("long").at(10, 40).build()))
        .isEqualTo(id("long"));
    assertThat(primaryRoot(span("first").at(10, 20).build(), span("second").at(10, 20).build()))
        .isEqualTo(id("first"));
  }

  @Test
  void inProcessTheLocalRootWithARemoteParentIsThePrimaryRoot() {
    TraceGraph graph =
        graph(
            span("child").parent("local").at(15, 20).build(),
            span("local").remoteParent("caller").at(10, 50).build());

    assertThat(graph.spanIds[graph.primaryRoot]).isEqualTo(id("local"));
    assertThat(graph.isRoot(1)).isTrue();
    assertThat(graph.parent[0]).isEqualTo(1);
  }

  @Test
  void clampsTopDownAgainstTheParentsClampedInterval() {
    // time   0    10   20   30   40   50
    // root        [=========]                  10..30
    // a                [===========]           20..40 -> 20..30
    // a1                        [======]       35..45 -> starts after a's clamped end: dropped
    // a2                    [=========]        25..43 -> 25..30
    // b      [===]                             0..8   -> ends before the root starts: dropped
    TraceGraph graph =
        graph(
            span("root").at(10, 30).build(),
            span("a").parent("root").at(20, 40).build(),
            span("a1").parent("a").at(35, 45).build(),
            span("a2").parent("a").at(25, 43).build(),
            span("b").parent("root").at(0, 8).build());

    assertThat(graph.clampedStart).containsExactly(10, 20, 35, 25, 0);
    assertThat(graph.clampedEnd).containsExactly(30, 30, 45, 30, 8);
    assertThat(graph.dropped).containsExactly(false, false, true, false, true);
  }

  @Test
  void childrenAreSortedByStartAndDepthCounted() {
    TraceGraph graph =
        graph(
            span("root").at(0, 100).build(),
            span("c").parent("root").at(30, 40).build(),
            span("a").parent("root").at(10, 20).build(),
            span("b").parent("root").at(10, 25).build(),
            span("a1").parent("a").at(11, 12).build());

    int root = 0;
    assertThat(
            List.of(
                graph.childrenByStart[graph.childOffset[root]],
                graph.childrenByStart[graph.childOffset[root] + 1],
                graph.childrenByStart[graph.childOffset[root] + 2]))
        .containsExactly(2, 3, 1);
    assertThat(graph.depth).containsExactly(1, 2, 2, 2, 3);
    assertThat(graph.childCount(root)).isEqualTo(3);
  }

  @Test
  void spanEndingBeforeItStartsIsTreatedAsEmpty() {
    TraceAnalysis analysis =
        TraceAnalyzer.create()
            .analyze(
                List.of(
                    span("root").at(0, 10).build(), span("odd").parent("root").at(5, 3).build()));

    assertThat(analysis.span(id("odd")).selfTimeNanos()).isZero();
    assertThat(analysis.span(id("root")).selfTimeNanos()).isEqualTo(10);
  }
}
