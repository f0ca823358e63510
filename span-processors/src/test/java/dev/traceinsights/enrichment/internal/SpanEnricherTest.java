package dev.traceinsights.enrichment.internal;

import static dev.traceinsights.semconv.InsightAttributes.*;
import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.enrichment.AttributeLevel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanEnricherTest {

  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_STATEMENT = AttributeKey.stringKey("db.statement");
  private static final long MS = 1_000_000;

  /**
   * A request whose repository runs one statement six times (N+1) and whose slow query is the
   * bottleneck; allocations: the repository 2 MiB (exported at standard), a query 4 KiB (not).
   *
   * <pre>
   * root     |0 ----------------------------------------------------------- 200|
   * repo        |5 ------------------ 65|
   * item x6       |10|20|30|40|50|60|       (10..12, 20..22, ... 60..62)
   * slow                                   |66 ---------------------- 198|
   * </pre>
   *
   * Critical path, latest first: root 198..200, slow 66..198, root 65..66, repo 62..65, item6
   * 60..62, repo 52..60, ... The slow query owns 132 ms of it, the repository 48 ms (its gaps
   * between the items), the root 8 ms: the slow query is the bottleneck, category database.
   */
  private static List<SpanData> trace() {
    List<SpanData> spans = new ArrayList<>();
    spans.add(span("root").kind(SpanKind.SERVER).at(0, 200 * MS).allocatedBytes(512).build());
    spans.add(span("repo").parent("root").at(5 * MS, 65 * MS).allocatedBytes(2 << 20).build());
    for (int i = 1; i <= 6; i++) {
      spans.add(
          span("item" + i)
              .name("SELECT items")
              .parent("repo")
              .kind(SpanKind.CLIENT)
              .attribute(DB_SYSTEM, "h2")
              .attribute(DB_STATEMENT, "SELECT * FROM items WHERE order_id = " + i)
              .at(i * 10 * MS, (i * 10 + 2) * MS)
              .allocatedBytes(4096)
              .build());
    }
    spans.add(
        span("slow")
            .name("SELECT valuation")
            .parent("root")
            .kind(SpanKind.CLIENT)
            .attribute(DB_SYSTEM, "h2")
            .at(66 * MS, 198 * MS)
            .build());
    return spans;
  }

  /**
   * A request whose validator fails and whose service passes the error up.
   *
   * <pre>
   * root       |0 ---------------------- 10|   error
   * service       |1 --------------- 9|        error
   * validator        |2-3|                     exception: off the path (the cache ends later)
   * cache            |2 --------- 8|
   * audit                             |9 - 10|
   * </pre>
   */
  private static List<SpanData> failingTrace() {
    return List.of(
        span("root").kind(SpanKind.SERVER).at(0, 10 * MS).errorStatus("500").build(),
        span("service").parent("root").at(1 * MS, 9 * MS).errorStatus("failed").build(),
        span("cache").parent("service").at(2 * MS, 8 * MS).build(),
        span("validate")
            .parent("service")
            .at(2 * MS, 3 * MS)
            .exception("java.lang.IllegalStateException", "card blocked")
            .build(),
        span("audit").parent("root").at(9 * MS, 10 * MS).build());
  }

  private static Map<String, SpanData> byId(List<SpanData> spans) {
    Map<String, SpanData> byId = new HashMap<>();
    spans.forEach(span -> byId.put(span.getSpanId(), span));
    return byId;
  }

  private static Map<String, SpanData> enrich(AttributeLevel level, List<SpanData> spans) {
    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);
    return byId(
        SpanEnricher.create(level, SpanEnricher.DEFAULT_MIN_ALLOCATED_BYTES)
            .enrich(analysis, spans));
  }

  @Test
  void standardMarksTheBottleneckAndSummarisesOnTheRoot() {
    List<SpanData> spans = trace();
    Map<String, SpanData> enriched = enrich(AttributeLevel.STANDARD, spans);

    Attributes slow = enriched.get(id("slow")).getAttributes();
    assertThat(slow.get(SPAN_BOTTLENECK)).isTrue();
    assertThat(slow.get(SPAN_BOTTLENECK_CATEGORY)).isEqualTo("database");
    assertThat(slow.get(SPAN_CRITICAL_PATH_NS)).isEqualTo(132 * MS);
    // A leaf wholly on the path: its self time would repeat the same figure.
    assertThat(slow.get(SPAN_SELF_TIME_NS)).isNull();

    Attributes repo = enriched.get(id("repo")).getAttributes();
    assertThat(repo.get(SPAN_N_PLUS_ONE_COUNT)).isEqualTo(6);
    assertThat(repo.get(SPAN_N_PLUS_ONE_STATEMENT))
        .isEqualTo("SELECT * FROM items WHERE order_id = ?");
    // Derivable per-span figures are full-level only.
    assertThat(repo.get(SPAN_SELF_TIME_NS)).isNull();
    assertThat(repo.get(SPAN_DEPTH)).isNull();
    assertThat(repo.get(SPAN_ON_CRITICAL_PATH)).isNull();
    // 2 MiB is above the 1 MiB threshold: kept.
    assertThat(repo.get(SPAN_ALLOCATED_BYTES)).isEqualTo(2L << 20);

    Attributes root = enriched.get(id("root")).getAttributes();
    // Only the spans with at least 5 % (10 ms) of the 200 ms on the path, latest first: the slow
    // query (132 ms), the repository (48 ms). The root (8 ms) and each item (2 ms) have less.
    assertThat(root.get(TRACE_CRITICAL_PATH_SPAN_IDS)).containsExactly(id("slow"), id("repo"));
    // The slow query carries its own marker: the ids are for the full level.
    assertThat(root.get(TRACE_BOTTLENECK_SPAN_IDS)).isNull();
    assertThat(root.get(TRACE_BOTTLENECK_SPAN_NAME)).isEqualTo("SELECT valuation");
    assertThat(root.get(TRACE_BOTTLENECK_CATEGORY)).isEqualTo("database");
    assertThat(root.get(TRACE_N_PLUS_ONE_COUNT)).isEqualTo(1);
    assertThat(root.get(TRACE_ALLOCATED_BYTES)).isEqualTo(512L);
    // Zero or ok: not exported at standard.
    assertThat(root.get(TRACE_ERROR_COUNT)).isNull();
    assertThat(root.get(TRACE_DEPTH_STATUS)).isNull();
    assertThat(root.get(TRACE_DURATION_NS)).isNull();
    assertThat(root.get(TRACE_SPAN_COUNT)).isNull();
    // 512 B on the root itself is under the threshold: hidden.
    assertThat(root.get(SPAN_ALLOCATED_BYTES)).isNull();
  }

  /**
   * A child that outlives its parent is clamped to it on the critical path:
   *
   * <pre>
   * root |0 ------------------ 100|
   * call      |10 - 20|
   * late                |30 ---------------------- 200|   clamped to 30..100 on the path
   * </pre>
   *
   * Path: late 30..100 (70 ms), root 20..30 and 0..10 (20 ms), call 10..20 (10 ms): late is the
   * bottleneck, with 70 ms on the path and a self time of its whole 170 ms.
   */
  @Test
  void aBottleneckWhoseSelfTimeDiffersCarriesBoth() {
    List<SpanData> spans =
        List.of(
            span("root").kind(SpanKind.SERVER).at(0, 100 * MS).build(),
            span("call").parent("root").kind(SpanKind.CLIENT).at(10 * MS, 20 * MS).build(),
            span("late").parent("root").at(30 * MS, 200 * MS).build());
    Attributes late = enrich(AttributeLevel.STANDARD, spans).get(id("late")).getAttributes();
    assertThat(late.get(SPAN_BOTTLENECK)).isTrue();
    assertThat(late.get(SPAN_CRITICAL_PATH_NS)).isEqualTo(70 * MS);
    assertThat(late.get(SPAN_SELF_TIME_NS)).isEqualTo(170 * MS);
  }

  @Test
  void aSpanWithNothingToAddIsPassedOnAsItIs() {
    List<SpanData> spans = new ArrayList<>(trace());
    Map<String, SpanData> enriched = enrich(AttributeLevel.STANDARD, spans);
    // The slow query has no allocation attribute and nothing else concerns item spans but their
    // 4 KiB, which is hidden: the slow query is wrapped (bottleneck), items are views.
    SpanData item = enriched.get(id("item1"));
    assertThat(item.getAttributes().get(SPAN_ALLOCATED_BYTES)).isNull();
    assertThat(item.getAttributes().size()).isEqualTo(2);

    List<SpanData> withoutAllocations =
        List.of(
            span("root").at(0, 10 * MS).build(),
            span("child").parent("root").at(1 * MS, 2 * MS).build());
    TraceAnalysis analysis = TraceAnalyzer.create().analyze(withoutAllocations);
    List<SpanData> out = SpanEnricher.create().enrich(analysis, withoutAllocations);
    assertThat(out.get(1)).isSameAs(withoutAllocations.get(1));
    assertThat(out.get(0)).isNotSameAs(withoutAllocations.get(0));
  }

  @Test
  void hiddenAllocationKeepsTheDroppedCountAndEveryViewConsistent() {
    SpanData item = trace().get(2);
    SpanData enriched = enrich(AttributeLevel.STANDARD, trace()).get(id("item1"));
    Attributes attributes = enriched.getAttributes();
    Map<AttributeKey<?>, Object> seen = new HashMap<>();
    attributes.forEach(seen::put);
    assertThat(seen).hasSize(attributes.size()).doesNotContainKey(SPAN_ALLOCATED_BYTES);
    assertThat(attributes.asMap()).isEqualTo(seen);
    assertThat(attributes.toBuilder().build().asMap()).isEqualTo(seen);
    assertThat(enriched.getTotalAttributeCount() - attributes.size())
        .isEqualTo(item.getTotalAttributeCount() - item.getAttributes().size());
  }

  @Test
  void fullCarriesEveryFigureOnEverySpan() {
    Map<String, SpanData> enriched = enrich(AttributeLevel.FULL, trace());

    Attributes item1 = enriched.get(id("item1")).getAttributes();
    assertThat(item1.get(SPAN_SELF_TIME_NS)).isEqualTo(2 * MS);
    assertThat(item1.get(SPAN_CRITICAL_PATH_NS)).isEqualTo(2 * MS);
    assertThat(item1.get(SPAN_ON_CRITICAL_PATH)).isTrue();
    assertThat(item1.get(SPAN_DEPTH)).isEqualTo(3);
    assertThat(item1.get(SPAN_FAN_OUT)).isEqualTo(0);
    assertThat(item1.get(SPAN_ALLOCATED_BYTES)).isEqualTo(4096);

    Attributes root = enriched.get(id("root")).getAttributes();
    assertThat(root.get(TRACE_DURATION_NS)).isEqualTo(200 * MS);
    assertThat(root.get(TRACE_SPAN_COUNT)).isEqualTo(9);
    assertThat(root.get(TRACE_ERROR_COUNT)).isEqualTo(0);
    assertThat(root.get(TRACE_DEPTH)).isEqualTo(3);
    assertThat(root.get(TRACE_DEPTH_STATUS)).isEqualTo("ok");
    assertThat(root.get(TRACE_MAX_FAN_OUT)).isEqualTo(6);
    assertThat(root.get(TRACE_BOTTLENECK_SPAN_IDS)).containsExactly(id("slow"));
    // Each span once, latest first: the repository, returned to between its items, once.
    assertThat(root.get(TRACE_CRITICAL_PATH_SPAN_IDS))
        .containsExactly(
            id("root"),
            id("slow"),
            id("repo"),
            id("item6"),
            id("item5"),
            id("item4"),
            id("item3"),
            id("item2"),
            id("item1"));
  }

  /** A share of exactly 1/20 is enough; a nanosecond less is not. */
  @Test
  void standardListsCriticalPathSpansFromAShareOfOneTwentieth() {
    List<SpanData> spans =
        List.of(
            span("root").kind(SpanKind.SERVER).at(0, 1000).build(),
            span("exact").parent("root").at(0, 50).build(),
            span("under").parent("root").at(50, 99).build(),
            span("rest").parent("root").at(100, 1000).build());
    Attributes root = enrich(AttributeLevel.STANDARD, spans).get(id("root")).getAttributes();
    // The root keeps 99..100 (1 ns) for itself.
    assertThat(root.get(TRACE_CRITICAL_PATH_SPAN_IDS)).containsExactly(id("rest"), id("exact"));
  }

  @Test
  void fullEmitsOnCriticalPathOnlyWhenTrue() {
    // The audit span ends at 10 with the root: on the path. The validator ends at 3, while the
    // cache beside it runs until 8: off the path.
    Map<String, SpanData> enriched = enrich(AttributeLevel.FULL, failingTrace());
    assertThat(enriched.get(id("audit")).getAttributes().get(SPAN_ON_CRITICAL_PATH)).isTrue();
    assertThat(enriched.get(id("validate")).getAttributes().get(SPAN_ON_CRITICAL_PATH)).isNull();
    assertThat(enriched.get(id("validate")).getAttributes().get(SPAN_CRITICAL_PATH_NS))
        .isEqualTo(0);
  }

  @Test
  void rootCauseAndItsChainAtStandard() {
    Map<String, SpanData> enriched = enrich(AttributeLevel.STANDARD, failingTrace());

    Attributes validator = enriched.get(id("validate")).getAttributes();
    assertThat(validator.get(SPAN_ROOT_CAUSE)).isTrue();
    assertThat(validator.get(SPAN_ERROR_CHAIN)).isTrue();
    assertThat(validator.get(SPAN_ERROR_FINGERPRINT)).hasSize(16);
    assertThat(enriched.get(id("service")).getAttributes().get(SPAN_ERROR_CHAIN)).isTrue();
    assertThat(enriched.get(id("service")).getAttributes().get(SPAN_ROOT_CAUSE)).isNull();
    assertThat(enriched.get(id("audit")).getAttributes().get(SPAN_ERROR_CHAIN)).isNull();

    Attributes root = enriched.get(id("root")).getAttributes();
    assertThat(root.get(TRACE_ROOT_CAUSE_SPAN_ID)).isEqualTo(id("validate"));
    assertThat(root.get(TRACE_ROOT_CAUSE_ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
    assertThat(root.get(TRACE_ERROR_COUNT)).isEqualTo(3);
  }

  @Test
  void minimalKeepsOnlyTheMarkersAndTheirNames() {
    Map<String, SpanData> enriched = enrich(AttributeLevel.MINIMAL, failingTrace());
    Attributes validator = enriched.get(id("validate")).getAttributes();
    assertThat(validator.get(SPAN_ROOT_CAUSE)).isTrue();
    assertThat(validator.get(SPAN_ERROR_CHAIN)).isNull();
    assertThat(validator.get(SPAN_ERROR_FINGERPRINT)).isNull();
    Attributes root = enriched.get(id("root")).getAttributes();
    assertThat(root.get(TRACE_ROOT_CAUSE_FINGERPRINT)).hasSize(16);
    assertThat(root.get(TRACE_CRITICAL_PATH_SPAN_IDS)).isNull();
    assertThat(root.get(TRACE_ERROR_COUNT)).isNull();

    Map<String, SpanData> slow = enrich(AttributeLevel.MINIMAL, trace());
    assertThat(slow.get(id("slow")).getAttributes().get(SPAN_BOTTLENECK)).isTrue();
    assertThat(slow.get(id("slow")).getAttributes().get(SPAN_SELF_TIME_NS)).isNull();
    assertThat(slow.get(id("repo")).getAttributes().get(SPAN_ALLOCATED_BYTES)).isNull();
    assertThat(slow.get(id("root")).getAttributes().get(TRACE_BOTTLENECK_SPAN_NAME))
        .isEqualTo("SELECT valuation");
    assertThat(slow.get(id("root")).getAttributes().get(TRACE_BOTTLENECK_SPAN_IDS)).isNull();
  }

  @Test
  void samplingReasonOnTheRootAtStandardAndEverywhereAtFull() {
    List<SpanData> spans = trace();
    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);

    Map<String, SpanData> standard = byId(SpanEnricher.create().enrich(analysis, spans, "error"));
    assertThat(standard.get(id("root")).getAttributes().get(SAMPLING_REASON)).isEqualTo("error");
    assertThat(standard.get(id("item1")).getAttributes().get(SAMPLING_REASON)).isNull();
    // Every span of a kept trace is exported as sampled, whatever it carries.
    assertThat(standard.values()).allMatch(span -> span.getSpanContext().isSampled());

    Map<String, SpanData> head = byId(SpanEnricher.create().enrich(analysis, spans, "head"));
    assertThat(head.get(id("root")).getAttributes().get(SAMPLING_REASON)).isNull();

    Map<String, SpanData> full =
        byId(
            SpanEnricher.create(AttributeLevel.FULL, SpanEnricher.DEFAULT_MIN_ALLOCATED_BYTES)
                .enrich(analysis, spans, "head"));
    assertThat(full.values())
        .allSatisfy(
            span -> assertThat(span.getAttributes().get(SAMPLING_REASON)).isEqualTo("head"));
  }

  @Test
  void levelsParseFromConfigurationValues() {
    assertThat(AttributeLevel.fromConfigValue("Full ")).isEqualTo(AttributeLevel.FULL);
    assertThat(AttributeLevel.fromConfigValue("standard")).isEqualTo(AttributeLevel.STANDARD);
    assertThat(AttributeLevel.fromConfigValue("everything")).isNull();
    assertThat(AttributeLevel.DEFAULT).hasToString("standard");
  }
}
