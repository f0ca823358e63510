package dev.traceinsights.analysis;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NPlusOneDetectorTest {

  private static final String LOAD_ITEMS = "select * from items where order_id = ?";

  /** {@code count} item queries under {@code parent}, 10 ns apart from {@code start}. */
  private static List<SpanData> itemQueries(String parent, String prefix, int count, long start) {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spans.add(
          span(prefix + i)
              .parent(parent)
              .kind(SpanKind.CLIENT)
              .at(start + 10L * i, start + 10L * i + 5)
              .attribute("db.system", "h2")
              .attribute("db.statement", "select * from items where order_id = " + (100 + i))
              .build());
    }
    return spans;
  }

  private static TraceAnalysis analyze(List<SpanData> spans) {
    return TraceAnalyzer.create().analyze(spans);
  }

  @Test
  void fourRepetitionsAreBelowTheDefaultThreshold() {
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 1000).build());
    spans.addAll(itemQueries("root", "q", 4, 100));

    assertThat(analyze(spans).nPlusOne()).isEmpty();
  }

  @Test
  void fiveRepetitionsAreAnNPlusOne() {
    // time   0   100  110  120  130  140  ...  1000
    // root   [==========================...=====]
    // order      [=]                                 select * from orders (once)
    // q0..q4      [=]  [=]  [=]  [=]  [=]            select * from items where order_id = 100..104
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 1000).build());
    spans.add(
        span("order")
            .parent("root")
            .at(90, 95)
            .attribute("db.query.text", "select * from orders")
            .build());
    spans.addAll(itemQueries("root", "q", 5, 100));
    // Input order must not matter for the span order of the result: reverse the queries.
    List<SpanData> shuffled = new ArrayList<>(spans.subList(0, 2));
    for (int i = spans.size() - 1; i >= 2; i--) {
      shuffled.add(spans.get(i));
    }

    assertThat(analyze(shuffled).nPlusOne())
        .containsExactly(
            new NPlusOne(
                id("root"), LOAD_ITEMS, List.of(id("q0"), id("q1"), id("q2"), id("q3"), id("q4"))));
  }

  @Test
  void thresholdIsConfigurable() {
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 1000).build());
    spans.addAll(itemQueries("root", "q", 3, 100));

    assertThat(
            TraceAnalyzer.create(AnalysisSettings.defaults().withNPlusOneThreshold(3))
                .analyze(spans)
                .nPlusOne())
        .hasSize(1);
  }

  @Test
  void onlyDirectChildrenOfOneParentCount() {
    // root -> a -> 3 queries, root -> b -> 3 queries: 6 in the trace, but 3 per parent.
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 1000).build());
    spans.add(span("a").parent("root").at(0, 400).build());
    spans.add(span("b").parent("root").at(500, 900).build());
    spans.addAll(itemQueries("a", "qa", 3, 100));
    spans.addAll(itemQueries("b", "qb", 3, 600));

    assertThat(analyze(spans).nPlusOne()).isEmpty();
  }

  @Test
  void queryTextWinsOverStatementAndGroupsAreOrderedByCount() {
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 1000).build());
    spans.add(span("p5").parent("root").at(0, 400).build());
    spans.add(span("p6").parent("root").at(500, 900).build());
    spans.addAll(itemQueries("p5", "x", 5, 100));
    for (int i = 0; i < 6; i++) {
      spans.add(
          span("y" + i)
              .parent("p6")
              .at(600 + i, 601 + i)
              // The old attribute differs per span; the current one is the same shape.
              .attribute("db.statement", "legacy " + i + " " + "x".repeat(i))
              .attribute("db.query.text", "SELECT name FROM users WHERE id = " + i)
              .build());
    }

    List<NPlusOne> found = analyze(spans).nPlusOne();
    assertThat(found).extracting(NPlusOne::parentSpanId).containsExactly(id("p6"), id("p5"));
    assertThat(found.get(0).statement()).isEqualTo("SELECT name FROM users WHERE id = ?");
    assertThat(found.get(0).count()).isEqualTo(6);
    assertThat(found.get(1).statement()).isEqualTo(LOAD_ITEMS);
  }
}
