package dev.traceinsights.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InsightSummaryTest {

  /**
   *
   *
   * <pre>
   * backend: root "get /inventory/report" 400 ms, allocated 17 MiB
   *            ├ "select warehouse"  300 ms self, bottleneck (database)
   *            ├ "validate"          root cause, exception IllegalStateException
   *            ├ "find orders"       N+1: 10 x the item query
   *            └ "render"            allocated 16 MiB, no children
   * </pre>
   */
  @Test
  void summarisesEachKindOfInsight() {
    long mib = 1024 * 1024;
    ZipkinTrace trace =
        new ZipkinTrace(
            List.of(
                span(
                    "root",
                    "caller",
                    "get /inventory/report",
                    Map.of(
                        "traceinsights.span.self_time_ns", "1000",
                        "traceinsights.trace.duration_ns", "400000000",
                        "traceinsights.span.allocated_bytes", String.valueOf(17 * mib)),
                    List.of()),
                span(
                    "db",
                    "root",
                    "select warehouse",
                    Map.of(
                        "traceinsights.span.self_time_ns", "300000000",
                        "traceinsights.span.bottleneck", "true",
                        "traceinsights.span.bottleneck_category", "database"),
                    List.of()),
                span(
                    "validate",
                    "root",
                    "validate",
                    Map.of(
                        "traceinsights.span.self_time_ns", "10",
                        "traceinsights.span.root_cause", "true"),
                    List.of(
                        new ZipkinSpan.Annotation(
                            1,
                            "exception|{\"exception.type\":\"java.lang.IllegalStateException\"}|0"))),
                span(
                    "orders",
                    "root",
                    "find orders",
                    Map.of(
                        "traceinsights.span.self_time_ns", "10",
                        "traceinsights.span.n_plus_one_count", "10",
                        "traceinsights.span.n_plus_one_statement",
                            "SELECT * FROM items WHERE id = ?"),
                    List.of()),
                span(
                    "render",
                    "root",
                    "render",
                    Map.of(
                        "traceinsights.span.self_time_ns",
                        "10",
                        "traceinsights.span.allocated_bytes",
                        String.valueOf(16 * mib)),
                    List.of())));

    InsightSummary summary = InsightSummary.of(List.of(trace, trace)); // counted once

    assertThat(summary.traceCount()).isEqualTo(1);
    assertThat(summary.analysedSpans()).isEqualTo(5);
    assertThat(summary.bottlenecks())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.endpoint()).isEqualTo("get /inventory/report");
              assertThat(b.spanName()).isEqualTo("select warehouse");
              assertThat(b.category()).isEqualTo("database");
              assertThat(b.averageShare()).isCloseTo(0.75, within(1e-9));
            });
    assertThat(summary.rootCauses())
        .containsExactly(
            new InsightSummary.RootCause(
                "backend", "validate", "java.lang.IllegalStateException", 1));
    assertThat(summary.nPlusOnes())
        .containsExactly(
            new InsightSummary.NPlusOne(
                "backend", "find orders", "SELECT * FROM items WHERE id = ?", 10, 1, ""));
    // The root allocated 17 MiB in all, 16 of them in render.
    assertThat(summary.allocators())
        .containsExactly(
            new InsightSummary.Allocator("backend", "render", 16 * mib, 1),
            new InsightSummary.Allocator("backend", "get /inventory/report", mib, 1));
    assertThat(summary.render())
        .contains("get /inventory/report -> select warehouse  database  75%")
        .contains("validate  java.lang.IllegalStateException")
        .contains("10 x \"SELECT * FROM items WHERE id = ?\"")
        .contains("render  16.0 MiB");
  }

  @Test
  void saysSoWhenNoSpanWasAnalysed() {
    ZipkinTrace plain = new ZipkinTrace(List.of(span("root", null, "get", Map.of(), List.of())));
    assertThat(InsightSummary.of(List.of(plain)).render())
        .contains("no analysis attributes found — is the extension loaded?");
  }

  private static ZipkinSpan span(
      String id,
      String parentId,
      String name,
      Map<String, String> tags,
      List<ZipkinSpan.Annotation> annotations) {
    return new ZipkinSpan(
        "trace1",
        id,
        parentId,
        name,
        null,
        0,
        1,
        new ZipkinSpan.Endpoint("backend"),
        tags,
        annotations);
  }
}
