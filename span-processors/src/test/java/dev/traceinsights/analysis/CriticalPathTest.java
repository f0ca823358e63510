package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed critical paths. In the timelines, {@code [===]} is a span's own interval and {@code
 * ###} marks the sections the span owns on the critical path.
 */
class CriticalPathTest {

  private static TraceAnalysis analyze(SpanData... spans) {
    return TraceAnalyzer.create().analyze(List.of(spans));
  }

  private static long onPath(TraceAnalysis analysis, String name) {
    return analysis.span(id(name)).criticalPathNanos();
  }

  @Test
  void sequentialChildren() {
    // time   0    10   20   30   40   50   60   70
    // root   [##========================#######]
    // a           [#########]
    // b                     [##############]
    //
    // a ends exactly when b starts: b waited for a, so a is on the path (Jaeger UI, which
    // looks for children ending strictly before the bound, would leave a out).
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 70).build(),
            span("a").parent("root").at(10, 30).build(),
            span("b").parent("root").at(30, 60).build());

    assertThat(analysis.rootSpanId()).isEqualTo(id("root"));
    assertThat(analysis.criticalPath())
        .containsExactly(
            section("root", 60, 70),
            section("b", 30, 60),
            section("a", 10, 30),
            section("root", 0, 10));
    assertThat(onPath(analysis, "root")).isEqualTo(20);
    assertThat(onPath(analysis, "a")).isEqualTo(20);
    assertThat(onPath(analysis, "b")).isEqualTo(30);
    assertThat(analysis.bottlenecks()).extracting(Bottleneck::spanId).containsExactly(id("b"));
  }

  @Test
  void overlappingChildren() {
    // time   0    5    10   15   20   25   30   35   40   45   50
    // root   [##=======================================########]
    // c        [############]                                        2..15
    // a                [==========================]                  5..30
    // b                          [#####################]             20..40
    //
    // From the root's end the last finisher is b. Back in the root at b's start (20), a still
    // runs (ends 30 > 20) so it cannot be what the root waited for there: c (ends 15) is.
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 50).build(),
            span("a").parent("root").at(5, 30).build(),
            span("b").parent("root").at(20, 40).build(),
            span("c").parent("root").at(2, 15).build());

    assertThat(analysis.criticalPath())
        .containsExactly(
            section("root", 40, 50),
            section("b", 20, 40),
            section("root", 15, 20),
            section("c", 2, 15),
            section("root", 0, 2));
    assertThat(onPath(analysis, "root")).isEqualTo(17);
    assertThat(onPath(analysis, "a")).isZero();
    assertThat(analysis.span(id("a")).onCriticalPath()).isFalse();
    assertThat(onPath(analysis, "b")).isEqualTo(20);
    assertThat(onPath(analysis, "c")).isEqualTo(13);
    // Self time counts the union of the children once: 50 - |2..40| = 12.
    assertThat(analysis.span(id("root")).selfTimeNanos()).isEqualTo(12);
    assertThat(analysis.bottlenecks()).extracting(Bottleneck::spanId).containsExactly(id("b"));
  }

  @Test
  void childrenPartlyAndWhollyOutsideTheirParent() {
    // time      0    10   20   30   40   50   60   70   80
    // root                [==#########==========]                 20..60
    // early          [====##]                                     10..25 -> clamped 20..25
    // late                               [====#=========]         50..70 -> clamped 50..60
    // lateKid                                 [#####====]         55..68 -> clamped 55..60
    // before    [=======]                                          0..15 -> dropped
    // after                                     [===============]  60..80 -> dropped (starts
    // afterKid                                     [=====]         62..70    at root's end)
    TraceAnalysis analysis =
        analyze(
            span("root").at(20, 60).build(),
            span("early").parent("root").at(10, 25).build(),
            span("late").parent("root").at(50, 70).build(),
            span("lateKid").parent("late").at(55, 68).build(),
            span("before").parent("root").at(0, 15).build(),
            span("after").parent("root").at(60, 80).build(),
            span("afterKid").parent("after").at(62, 70).build());

    assertThat(analysis.criticalPath())
        .containsExactly(
            section("lateKid", 55, 60),
            section("late", 50, 55),
            section("root", 25, 50),
            section("early", 20, 25));
    assertThat(onPath(analysis, "before")).isZero();
    assertThat(onPath(analysis, "after")).isZero();
    assertThat(onPath(analysis, "afterKid")).isZero();
    // Self time clamps children to the span itself: early covers 20..25, late 50..60.
    assertThat(analysis.span(id("root")).selfTimeNanos()).isEqualTo(25);
    assertThat(analysis.span(id("late")).selfTimeNanos()).isEqualTo(20 - 13);
    assertThat(analysis.span(id("before")).selfTimeNanos()).isEqualTo(15);
    // Totals span every span, not only the root.
    assertThat(analysis.totals().durationNanos()).isEqualTo(80);
  }

  @Test
  void asyncChildEndingAfterItsParent() {
    // time    0    5    10   15   20   25   30   35   40   ...  60
    // root    [####==============####=####]                         0..30
    // db           [##############]                                 5..20
    // async                           [####=======================] 25..60 -> clamped 25..30
    //
    // The fire-and-forget child is cut at the root's end: the root waited for it only until
    // then (Jaeger UI's clamping).
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 30).build(),
            span("db").parent("root").at(5, 20).kind(SpanKind.CLIENT).build(),
            span("async").parent("root").at(25, 60).build());

    assertThat(analysis.criticalPath())
        .containsExactly(
            section("async", 25, 30),
            section("root", 20, 25),
            section("db", 5, 20),
            section("root", 0, 5));
    assertThat(analysis.span(id("root")).selfTimeNanos()).isEqualTo(30 - 15 - 5);
    assertThat(analysis.span(id("async")).selfTimeNanos()).isEqualTo(35);
    assertThat(analysis.totals().durationNanos()).isEqualTo(60);
  }

  @Test
  void orphanSubtreeOfAMissingParentIsNotOnThePath() {
    // time     0    10   20   30   40   50   60   70   80   90   100
    // root     [####===============#################################]   true root
    // a             [##############]
    // orphan                            [====================]         parent "lost" is missing
    // orphanK                                [=====]
    TraceAnalysis analysis =
        analyze(
            span("orphan").parentId(id("lost")).at(50, 90).build(),
            span("orphanK").parent("orphan").at(60, 70).build(),
            span("root").at(0, 100).build(),
            span("a").parent("root").at(10, 40).build());

    assertThat(analysis.rootSpanId()).isEqualTo(id("root"));
    assertThat(analysis.criticalPath())
        .containsExactly(section("root", 40, 100), section("a", 10, 40), section("root", 0, 10));
    SpanAnalysis orphan = analysis.span(id("orphan"));
    assertThat(orphan.parentSpanId()).isNull();
    assertThat(orphan.depth()).isEqualTo(1);
    assertThat(orphan.selfTimeNanos()).isEqualTo(30);
    assertThat(analysis.span(id("orphanK")).depth()).isEqualTo(2);
    assertThat(onPath(analysis, "orphan")).isZero();
    assertThat(analysis.incomplete()).isTrue();
    assertThat(analysis.orphanSpanIds()).containsExactly(id("orphan"));
  }

  @Test
  void consumerChildOfProducerIsSkipped() {
    // time      0    10   20   30   40   50   ...  100
    // root      [####====######################...###]   SERVER
    // send           [####]                              PRODUCER 10..20
    // process          [==]                              CONSUMER 12..18, child of send
    // handle                   [====]                    CONSUMER 25..35, child of root
    //
    // The producer does not wait for its consumer, so process is skipped and send owns all of
    // 10..20. A consumer under a span that is not a producer (handle) blocks like any child.
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 100).kind(SpanKind.SERVER).build(),
            span("send").parent("root").at(10, 20).kind(SpanKind.PRODUCER).build(),
            span("process").parent("send").at(12, 18).kind(SpanKind.CONSUMER).build(),
            span("handle").parent("root").at(25, 35).kind(SpanKind.CONSUMER).build());

    assertThat(analysis.criticalPath())
        .containsExactly(
            section("root", 35, 100),
            section("handle", 25, 35),
            section("root", 20, 25),
            section("send", 10, 20),
            section("root", 0, 10));
    assertThat(onPath(analysis, "process")).isZero();
    assertThat(onPath(analysis, "send")).isEqualTo(10);
    // Self time still counts the consumer: the producer span was not busy while it ran.
    assertThat(analysis.span(id("send")).selfTimeNanos()).isEqualTo(4);
  }

  @Test
  void nestedChain() {
    // time  0    10   20   30   40   50   60   70   80   90   100
    // a     [####===================================####]
    // b          [####=========================####]
    // c               [####===============####]
    // d                    [##################]
    TraceAnalysis analysis =
        analyze(
            span("a").at(0, 100).build(),
            span("b").parent("a").at(10, 90).build(),
            span("c").parent("b").at(20, 80).build(),
            span("d").parent("c").at(30, 70).build());

    assertThat(analysis.criticalPath())
        .containsExactly(
            section("a", 90, 100),
            section("b", 80, 90),
            section("c", 70, 80),
            section("d", 30, 70),
            section("c", 20, 30),
            section("b", 10, 20),
            section("a", 0, 10));
    assertThat(onPath(analysis, "a")).isEqualTo(20);
    assertThat(onPath(analysis, "d")).isEqualTo(40);
    assertThat(analysis.bottlenecks()).extracting(Bottleneck::spanId).containsExactly(id("d"));
  }

  @Test
  void childrenEndingTogetherTieOnEarliestStart() {
    // time  0    10   20   30   40   50   60
    // root  [####===================######]
    // late            [===========]             20..50
    // early      [################]             10..50: same end, starts first -> chosen
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 60).build(),
            span("late").parent("root").at(20, 50).build(),
            span("early").parent("root").at(10, 50).build());

    assertThat(analysis.criticalPath())
        .containsExactly(section("root", 50, 60), section("early", 10, 50), section("root", 0, 10));
  }

  @Test
  void childrenClampedToTheSameIntervalTieOnTheirOwnStart() {
    // time   -20  -10   0    10   20   30   40
    // root              [####==========######]     0..40
    // second      [===============]                -10..20, given first
    // first  [====================]                -20..20: starts first -> chosen
    //
    // Both are clamped to 0..20. Jaeger UI keeps children in the order of their own start times
    // and takes the first of the latest-ending, so the one that really started first wins.
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 40).build(),
            span("second").parent("root").at(-10, 20).build(),
            span("first").parent("root").at(-20, 20).build());

    assertThat(analysis.criticalPath())
        .containsExactly(section("root", 20, 40), section("first", 0, 20));
  }

  @Test
  void childrenOverrunningTheirParentTieOnEarliestStart() {
    // time  0    10   20   30   40   50
    // root  [####=========]                0..30
    // b               [=========]          20..50, clamped 20..30, given first
    // a          [==============]          10..45, clamped 10..30: starts first -> chosen
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 30).build(),
            span("b").parent("root").at(20, 50).build(),
            span("a").parent("root").at(10, 45).build());

    assertThat(analysis.criticalPath())
        .containsExactly(section("a", 10, 30), section("root", 0, 10));
  }

  @Test
  void severalTrueRootsPathStartsAtTheEarliestAndTheOthersAreNotOnIt() {
    // time    0    10   20   30   40
    // batch   [==========]                 true root, 0..20
    // request      [===================]   true root, 5..40: starts later, not primary
    TraceAnalysis analysis =
        analyze(span("request").at(5, 40).build(), span("batch").at(0, 20).build());

    assertThat(analysis.rootSpanId()).isEqualTo(id("batch"));
    assertThat(analysis.criticalPath()).containsExactly(section("batch", 0, 20));
    assertThat(onPath(analysis, "request")).isZero();
    assertThat(analysis.incomplete()).isFalse();
  }

  @Test
  void withoutATrueRootThePathStartsAtTheEarliestSpanWithAMissingParent() {
    // A partial trace: the caller's spans are missing. Both roots point at parents not given;
    // the earliest is primary, and the other is an orphan subtree: the trace is incomplete.
    TraceAnalysis analysis =
        analyze(
            span("late").parentId(id("lostA")).at(30, 50).build(),
            span("early").parentId(id("lostB")).at(0, 20).build());

    assertThat(analysis.rootSpanId()).isEqualTo(id("early"));
    assertThat(analysis.criticalPath()).containsExactly(section("early", 0, 20));
    assertThat(analysis.incomplete()).isTrue();
    assertThat(analysis.orphanSpanIds()).containsExactly(id("late"));
  }

  @Test
  void theLocalRootsRemoteParentAloneIsNotIncomplete() {
    // In process the local root's parent is in another service: expected, not missing.
    TraceAnalysis analysis =
        analyze(
            span("server").parentId(id("caller")).at(0, 20).build(),
            span("db").parent("server").at(5, 10).build());

    assertThat(analysis.incomplete()).isFalse();
    assertThat(analysis.orphanSpanIds()).isEmpty();
  }

  @Test
  void identicalChildrenTieOnInputOrder() {
    // time  0    10   20   30
    // root  [####=====####]
    // y          [####]        given first
    // x          [====]        same interval, given second
    TraceAnalysis analysis =
        analyze(
            span("root").at(0, 30).build(),
            span("y").parent("root").at(10, 20).build(),
            span("x").parent("root").at(10, 20).build());

    assertThat(sectionSpans(analysis)).containsExactly(id("root"), id("y"), id("root"));
    assertThat(onPath(analysis, "y")).isEqualTo(10);
    assertThat(onPath(analysis, "x")).isZero();
  }

  @Test
  void zeroLengthChildAtTheBoundIsOnThePathWithoutASection() {
    // time  0    10   20
    // root  [####|#####]
    // mark       |           10..10
    TraceAnalysis analysis =
        analyze(span("root").at(0, 20).build(), span("mark").parent("root").at(10, 10).build());

    assertThat(analysis.criticalPath())
        .containsExactly(section("root", 10, 20), section("root", 0, 10));
    assertThat(onPath(analysis, "root")).isEqualTo(20);
  }

  @Test
  void zeroLengthRootHasAnEmptyPathAndNoBottleneck() {
    TraceAnalysis analysis = analyze(span("root").at(5, 5).build());

    assertThat(analysis.criticalPath()).isEmpty();
    assertThat(analysis.bottlenecks()).isEmpty();
    assertThat(analysis.span(id("root")).selfTimeNanos()).isZero();
  }

  @Test
  void singleSpanOwnsItsWholeDuration() {
    TraceAnalysis analysis = analyze(span("root").at(5, 25).build());

    assertThat(analysis.criticalPath()).containsExactly(section("root", 5, 25));
    assertThat(analysis.bottlenecks())
        .containsExactly(new Bottleneck(id("root"), "root", BottleneckCategory.INTERNAL, 20, 20));
  }

  private static CriticalPathSection section(String spanName, long start, long end) {
    return new CriticalPathSection(id(spanName), start, end);
  }

  /** Section ids of the critical path, in order, for compact assertions. */
  private static List<String> sectionSpans(TraceAnalysis analysis) {
    List<String> ids = new ArrayList<>();
    for (CriticalPathSection section : analysis.criticalPath()) {
      ids.add(section.spanId());
    }
    return ids;
  }
}
