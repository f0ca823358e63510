package dev.traceinsights.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.testing.TestSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of self time and the critical path on random valid trees: children anywhere in time
 * (inside, overlapping, outside their parents), every span kind, some orphans of missing parents.
 */
class CriticalPathPropertiesTest {

  /**
   * One generated span. Span 0 is the true root; span i > 0 hangs below span {@code parentChoice %
   * i}, or is an orphan of a missing parent when {@code parentChoice} is negative.
   */
  record Node(int parentChoice, long start, long length, SpanKind kind) {}

  private static final String MISSING_PARENT = "00000000000fffff";

  @Provide
  Arbitrary<List<Node>> trees() {
    Arbitrary<Integer> parentChoice =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(-1)),
            Tuple.of(12, Arbitraries.integers().between(0, 999)));
    return Combinators.combine(
            parentChoice,
            Arbitraries.longs().between(0, 100),
            Arbitraries.longs().between(0, 60),
            Arbitraries.of(SpanKind.class))
        .as(Node::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  private static String spanId(int i) {
    return String.format("%016x", i + 1);
  }

  private static int parentOf(List<Node> nodes, int i) {
    if (i == 0 || nodes.get(i).parentChoice() < 0) {
      return -1;
    }
    return nodes.get(i).parentChoice() % i;
  }

  private static List<SpanData> spans(List<Node> nodes) {
    List<SpanData> spans = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      TestSpans.Builder span =
          TestSpans.span("s" + i)
              .spanId(spanId(i))
              .kind(node.kind())
              .at(node.start(), node.start() + node.length());
      if (i > 0) {
        int parent = parentOf(nodes, i);
        span.parentId(parent < 0 ? MISSING_PARENT : spanId(parent));
      }
      spans.add(span.build());
    }
    return spans;
  }

  @Property
  void sectionsTileTheRootAndStayInsideTheirSpansClampedIntervals(
      @ForAll("trees") List<Node> nodes) {
    List<SpanData> spans = spans(nodes);
    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);
    TraceGraph graph = TraceGraph.of(spans);

    assertThat(analysis.rootSpanId()).isEqualTo(spanId(0));
    Node root = nodes.get(0);
    long rootEnd = root.start() + root.length();
    long bound = rootEnd;
    for (CriticalPathSection section : analysis.criticalPath()) {
      assertThat(section.endEpochNanos()).isEqualTo(bound);
      assertThat(section.durationNanos()).isPositive();
      int span = Integer.parseInt(section.spanId(), 16) - 1;
      assertThat(section.startEpochNanos()).isGreaterThanOrEqualTo(graph.clampedStart[span]);
      assertThat(section.endEpochNanos()).isLessThanOrEqualTo(graph.clampedEnd[span]);
      bound = section.startEpochNanos();
    }
    assertThat(bound).isEqualTo(root.start());

    long onPath = 0;
    for (SpanAnalysis span : analysis.spans()) {
      onPath += span.criticalPathNanos();
    }
    assertThat(onPath).isEqualTo(root.length());
  }

  @Property
  void criticalPathEqualsTheReferenceImplementation(@ForAll("trees") List<Node> nodes) {
    List<SpanData> spans = spans(nodes);

    assertThat(TraceAnalyzer.create().analyze(spans).criticalPath())
        .isEqualTo(new ReferenceCriticalPath(nodes).sections());
  }

  @Property
  void selfTimeIsTheUncoveredPartOfTheSpan(@ForAll("trees") List<Node> nodes) {
    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans(nodes));

    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      long selfTime = analysis.spans().get(i).selfTimeNanos();
      assertThat(selfTime).isBetween(0L, node.length());
      // Brute force on the 1 ns grid: count the instants no child covers.
      long uncovered = 0;
      for (long t = node.start(); t < node.start() + node.length(); t++) {
        boolean covered = false;
        for (int c = 1; c < nodes.size() && !covered; c++) {
          Node child = nodes.get(c);
          covered =
              parentOf(nodes, c) == i && child.start() <= t && t < child.start() + child.length();
        }
        if (!covered) {
          uncovered++;
        }
      }
      assertThat(selfTime).as("self time of s%d", i).isEqualTo(uncovered);
    }
  }

  @Property
  void selfTimesOfProperlyNestedTreesAddUpToTheRootDuration(@ForAll long seed) {
    // Children inside their parent and not overlapping each other (touching is fine).
    Random random = new Random(seed);
    List<long[]> intervals = new ArrayList<>();
    List<Integer> parents = new ArrayList<>();
    intervals.add(new long[] {0, 1_000});
    parents.add(-1);
    for (int span = 0; span < intervals.size() && intervals.size() < 60; span++) {
      long[] interval = intervals.get(span);
      int children = random.nextInt(4);
      long[] cuts = new long[2 * children];
      for (int c = 0; c < cuts.length; c++) {
        cuts[c] = interval[0] + (long) (random.nextDouble() * (interval[1] - interval[0] + 1));
        cuts[c] = Math.min(cuts[c], interval[1]);
      }
      Arrays.sort(cuts);
      for (int c = 0; c < children; c++) {
        intervals.add(new long[] {cuts[2 * c], cuts[2 * c + 1]});
        parents.add(span);
      }
    }
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < intervals.size(); i++) {
      TestSpans.Builder span =
          TestSpans.span("s").spanId(spanId(i)).at(intervals.get(i)[0], intervals.get(i)[1]);
      if (parents.get(i) >= 0) {
        span.parentId(spanId(parents.get(i)));
      }
      spans.add(span.build());
    }
    Collections.shuffle(spans, random);

    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);

    long selfTimes = 0;
    long onPath = 0;
    for (SpanAnalysis span : analysis.spans()) {
      selfTimes += span.selfTimeNanos();
      onPath += span.criticalPathNanos();
    }
    assertThat(selfTimes).isEqualTo(1_000);
    assertThat(onPath).isEqualTo(1_000);
  }

  /**
   * The critical path the straightforward way, written independently of {@link CriticalPath}:
   * recursive, clamping computed on the way down, and a linear scan of all children at each step
   * (quadratic, fine for small trees).
   */
  private static final class ReferenceCriticalPath {
    private final List<Node> nodes;
    private final long[] clampedStart;
    private final long[] clampedEnd;
    private final boolean[] blocking;
    private final boolean[] visited;
    private final List<CriticalPathSection> sections = new ArrayList<>();

    ReferenceCriticalPath(List<Node> nodes) {
      this.nodes = nodes;
      int n = nodes.size();
      clampedStart = new long[n];
      clampedEnd = new long[n];
      blocking = new boolean[n];
      visited = new boolean[n];
      Node root = nodes.get(0);
      clamp(0, root.start(), root.start() + root.length());
      walk(0, root.start() + root.length());
    }

    List<CriticalPathSection> sections() {
      return sections;
    }

    private void clamp(int span, long start, long end) {
      clampedStart[span] = start;
      clampedEnd[span] = end;
      for (int c = 1; c < nodes.size(); c++) {
        if (parentOf(nodes, c) != span) {
          continue;
        }
        Node child = nodes.get(c);
        long childEnd = child.start() + child.length();
        boolean outside = child.start() >= end || childEnd <= start;
        boolean consumerOfProducer =
            nodes.get(span).kind() == SpanKind.PRODUCER && child.kind() == SpanKind.CONSUMER;
        if (!outside && !consumerOfProducer) {
          blocking[c] = true;
          clamp(c, Math.max(child.start(), start), Math.min(childEnd, end));
        }
      }
    }

    private void walk(int span, long bound) {
      while (true) {
        int best = -1;
        for (int c = 1; c < nodes.size(); c++) {
          if (parentOf(nodes, c) != span || !blocking[c] || visited[c] || clampedEnd[c] > bound) {
            continue;
          }
          if (best < 0
              || clampedEnd[c] > clampedEnd[best]
              || (clampedEnd[c] == clampedEnd[best]
                  && nodes.get(c).start() < nodes.get(best).start())) {
            best = c;
          }
        }
        if (best < 0) {
          add(span, clampedStart[span], bound);
          return;
        }
        visited[best] = true;
        add(span, clampedEnd[best], bound);
        walk(best, clampedEnd[best]);
        bound = clampedStart[best];
      }
    }

    private void add(int span, long start, long end) {
      if (start < end) {
        sections.add(new CriticalPathSection(spanId(span), start, end));
      }
    }
  }
}
