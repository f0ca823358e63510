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

  @Test
  void repositoryCallsInALoopAreAnNPlusOneThroughTheirWrapperSpans() {
    // The Spring Data case: 120 calls of a repository method, each a span with its SELECT below.
    // root  GET /customers/report
    //   CustomerRepository.countFast  x 120      (INTERNAL, no statement)
    //     SELECT                      x 1 each   select count(*) from orders where customer_id = i
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").name("GET /customers/report").at(0, 100_000).build());
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      long start = 100 + 500L * i;
      spans.add(
          span("w" + i)
              .name("CustomerRepository.countFast")
              .parent("root")
              .at(start, start + 400)
              .build());
      spans.add(
          span("q" + i)
              .name("SELECT shop.orders")
              .parent("w" + i)
              .kind(SpanKind.CLIENT)
              .at(start + 100, start + 300)
              .attribute("db.system", "h2")
              .attribute("db.statement", "select count(*) from orders where customer_id = " + i)
              .build());
      queries.add(id("q" + i));
    }

    assertThat(analyze(spans).nPlusOne())
        .containsExactly(
            new NPlusOne(
                id("root"),
                NPlusOne.Kind.QUERY,
                "select count(*) from orders where customer_id = ?",
                List.of("CustomerRepository.countFast"),
                queries));
  }

  @Test
  void theNearestCommonAncestorIsNamedOnce() {
    // root -> handler -> 6 x (find -> SELECT): the handler is the loop, not the root as well.
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 10_000).build());
    spans.add(span("handler").parent("root").at(10, 9_000).build());
    for (int i = 0; i < 6; i++) {
      long start = 100 + 1000L * i;
      spans.add(
          span("w" + i)
              .name("ItemRepository.find")
              .parent("handler")
              .at(start, start + 800)
              .build());
      spans.add(
          span("q" + i)
              .parent("w" + i)
              .at(start + 100, start + 700)
              .attribute("db.statement", "select * from items where id = " + i)
              .build());
    }

    assertThat(analyze(spans).nPlusOne())
        .singleElement()
        .satisfies(
            found -> {
              assertThat(found.parentSpanId()).isEqualTo(id("handler"));
              assertThat(found.via()).containsExactly("ItemRepository.find");
              assertThat(found.count()).isEqualTo(6);
            });
  }

  @Test
  void wrappersOfDifferentNamesAreDifferentPaths() {
    // 3 queries through find, 3 through load: the same statement, but not one loop.
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 10_000).build());
    for (int i = 0; i < 6; i++) {
      long start = 100 + 1000L * i;
      spans.add(
          span("w" + i)
              .name(i < 3 ? "find" : "load")
              .parent("root")
              .at(start, start + 800)
              .build());
      spans.add(
          span("q" + i)
              .parent("w" + i)
              .at(start + 100, start + 700)
              .attribute("db.statement", "select * from items where id = " + i)
              .build());
    }

    assertThat(analyze(spans).nPlusOne()).isEmpty();
  }

  @Test
  void repeatedRemoteCallsAreAnNPlusOneOfCalls() {
    // 6 calls of GET /items/{id} on inventory, and 5 of a peer without a template.
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 10_000).build());
    for (int i = 0; i < 6; i++) {
      spans.add(
          span("c" + i)
              .name("GET")
              .parent("root")
              .kind(SpanKind.CLIENT)
              .at(100 + 100L * i, 150 + 100L * i)
              .attribute("http.request.method", "GET")
              .attribute("url.template", "/items/{id}")
              .attribute("url.full", "http://inventory:8080/items/" + i)
              .attribute("server.address", "inventory")
              .build());
    }
    for (int i = 0; i < 5; i++) {
      spans.add(
          span("p" + i)
              .name("POST")
              .parent("root")
              .kind(SpanKind.CLIENT)
              .at(2000 + 100L * i, 2050 + 100L * i)
              .attribute("http.request.method", "POST")
              .attribute("url.full", "http://pricing:9000/quote?sku=" + i)
              .attribute("server.address", "pricing")
              .attribute(io.opentelemetry.api.common.AttributeKey.longKey("server.port"), 9000L)
              .build());
    }

    List<NPlusOne> found = analyze(spans).nPlusOne();
    assertThat(found)
        .extracting(NPlusOne::kind, NPlusOne::statement, NPlusOne::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(NPlusOne.Kind.CALL, "GET inventory /items/{id}", 6),
            org.assertj.core.groups.Tuple.tuple(NPlusOne.Kind.CALL, "POST pricing:9000 /quote", 5));
    assertThat(found.get(0).remedy()).contains("batch");
  }

  @Test
  void repeatedInsertsAreWritesWhoseRemedyIsBatching() {
    // A Hibernate flush of 40 INSERTs: not a read N+1, but the same remedy family (JDBC batching).
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 10_000).build());
    spans.add(span("flush").name("Session.flush").parent("root").at(100, 9_000).build());
    for (int i = 0; i < 40; i++) {
      spans.add(
          span("i" + i)
              .parent("flush")
              .kind(SpanKind.CLIENT)
              .at(200 + 100L * i, 250 + 100L * i)
              .attribute("db.system", "h2")
              .attribute(
                  "db.statement",
                  "insert into order_lines (order_id, sku, qty) values (7, 'sku-" + i + "', 1)")
              .build());
    }

    assertThat(analyze(spans).nPlusOne())
        .singleElement()
        .satisfies(
            found -> {
              assertThat(found.kind()).isEqualTo(NPlusOne.Kind.WRITE);
              assertThat(found.parentSpanId()).isEqualTo(id("flush"));
              assertThat(found.count()).isEqualTo(40);
              assertThat(found.remedy()).contains("hibernate.jdbc.batch_size");
            });
  }

  @Test
  void callsToDifferentEndpointsOfOnePeerAreNotAnNPlusOne() {
    // Five calls to one backend, each a different endpoint, no template: a page's five requests.
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 10_000).build());
    String[] paths = {"/users/7", "/cart", "/orders", "/recommendations", "/profile"};
    for (int i = 0; i < paths.length; i++) {
      spans.add(
          span("c" + i)
              .name("GET")
              .parent("root")
              .kind(SpanKind.CLIENT)
              .at(100 + 100L * i, 150 + 100L * i)
              .attribute("http.request.method", "GET")
              .attribute("url.full", "http://shop:8080" + paths[i])
              .attribute("server.address", "shop")
              .build());
    }

    assertThat(analyze(spans).nPlusOne()).isEmpty();
  }

  @Test
  void aClientSpanInsideARepeatedClientSpanIsCountedOnce() {
    // A library client span wrapping the HTTP client's own, 5 times: one N+1 of the outer calls.
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").at(0, 10_000).build());
    for (int i = 0; i < 5; i++) {
      long start = 100 + 1000L * i;
      spans.add(
          span("outer" + i)
              .name("GET")
              .parent("root")
              .kind(SpanKind.CLIENT)
              .at(start, start + 500)
              .attribute("http.request.method", "GET")
              .attribute("url.template", "/items/{id}")
              .attribute("server.address", "inventory")
              .build());
      spans.add(
          span("inner" + i)
              .name("GET")
              .parent("outer" + i)
              .kind(SpanKind.CLIENT)
              .at(start + 10, start + 490)
              .attribute("http.request.method", "GET")
              .attribute("url.full", "http://inventory/items/" + i)
              .attribute("server.address", "inventory")
              .build());
    }

    assertThat(analyze(spans).nPlusOne())
        .singleElement()
        .satisfies(
            found ->
                assertThat(found.spanIds())
                    .containsExactly(
                        id("outer0"), id("outer1"), id("outer2"), id("outer3"), id("outer4")));
  }

  @Test
  void urlPathsBecomeTemplatesWithIdsAbstracted() {
    assertThat(NPlusOneDetector.templateOf("http://inventory:8080/items/42?x=1#top"))
        .isEqualTo("/items/{id}");
    assertThat(NPlusOneDetector.templateOf("/orders/3f2b8c1e-aa11-4b6e-9c0d-1234567890ab/lines"))
        .isEqualTo("/orders/{id}/lines");
    assertThat(NPlusOneDetector.templateOf("/users/ada/cart")).isEqualTo("/users/ada/cart");
    assertThat(NPlusOneDetector.templateOf("http://shop")).isEqualTo("/");
    assertThat(NPlusOneDetector.templateOf("/v2/items")).isEqualTo("/v2/items");
  }
}
