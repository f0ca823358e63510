package dev.traceinsights.it;

import static dev.traceinsights.semconv.InsightAttributes.SPAN_ALLOCATED_BYTES;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_BOTTLENECK;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_CRITICAL_PATH_NS;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_DEPTH;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_COUNT;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_KIND;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_STATEMENT;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_VIA;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_ON_CRITICAL_PATH;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_ROOT_CAUSE;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_SELF_TIME_NS;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_BOTTLENECK_CATEGORY;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_BOTTLENECK_SPAN_IDS;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_BOTTLENECK_SPAN_NAME;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_CRITICAL_PATH_SPAN_IDS;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_DURATION_NS;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_ROOT_CAUSE_ERROR_TYPE;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_ROOT_CAUSE_SPAN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.enrichment.AttributeLevel;
import dev.traceinsights.harness.DemoServices;
import dev.traceinsights.harness.Scenario;
import dev.traceinsights.harness.ShopClient;
import dev.traceinsights.harness.TraceBackend;
import dev.traceinsights.harness.ZipkinApi;
import dev.traceinsights.harness.ZipkinSpan;
import dev.traceinsights.harness.ZipkinTrace;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What must hold whichever backend the spans went through: the demo services run under the real
 * javaagent with the extension, every scenario is warmed up and then called once more, and that
 * call's trace is read back through the backend's Zipkin API. The "raw" tests check the agent's
 * spans arrived; the others check the extension's analysis on them, at the {@link
 * #attributeLevel()} the services run with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScenarioExportContract {

  static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Calls of each scenario before the one asserted on. On a cold JVM, class loading and the JIT put
   * more self time in the first requests' root spans than in the 300 ms query the slow scenario is
   * about; these calls take that first cost.
   */
  static final int WARM_UP_CALLS = 3;

  TraceBackend backend;
  DemoServices services;
  ZipkinApi api;
  ShopTraces shop;
  final Map<Scenario, ZipkinTrace> traces = new EnumMap<>(Scenario.class);

  /** Starts (or returns the shared) backend the services export to. */
  abstract TraceBackend startBackend();

  /** Stops the backend if this class owns it. */
  abstract void stopBackend(TraceBackend backend);

  /** Service names are {@code <prefix>-frontend} and {@code <prefix>-backend}. */
  abstract String servicePrefix();

  /** The services' {@code traceinsights.attributes}; the default level sets no property at all. */
  AttributeLevel attributeLevel() {
    return AttributeLevel.DEFAULT;
  }

  @BeforeAll
  void startAndDriveEveryScenario() {
    backend = startBackend();
    DemoServices.Builder builder =
        DemoServices.builder(ItEnvironment.artifacts(), backend)
            .namePrefix(servicePrefix())
            .workDir(ItEnvironment.workDir(servicePrefix()));
    if (attributeLevel() != AttributeLevel.DEFAULT) {
      builder.systemProperty("traceinsights.attributes", attributeLevel().configValue());
    }
    services = builder.start();
    api = new ZipkinApi(backend.zipkinApi());
    shop = new ShopTraces(services);
    ShopClient client = new ShopClient(services.frontend());
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      for (Scenario scenario : Scenario.values()) {
        client.call(scenario);
      }
    }
    Map<Scenario, String> traceIds = new EnumMap<>(Scenario.class);
    for (Scenario scenario : Scenario.values()) {
      ShopClient.Call call = client.callTraced(scenario);
      assertThat(call.status())
          .as(scenario + ": " + call.body())
          .isEqualTo(scenario.expectedStatus());
      traceIds.put(scenario, call.traceId());
    }
    traceIds.forEach(
        (scenario, traceId) ->
            traces.put(
                scenario,
                api.awaitTrace(
                    traceId,
                    "with every span of " + scenario,
                    trace -> shop.isComplete(scenario, trace),
                    EXPORT_TIMEOUT)));
  }

  @AfterAll
  void stop() {
    try {
      if (services != null) {
        services.close();
      }
    } finally {
      if (backend != null) {
        stopBackend(backend);
      }
    }
  }

  // --- Raw spans from the agent: these hold with or without the extension. ---

  @Test
  void slowQuerySpanArrives() {
    ZipkinTrace trace = traces.get(Scenario.SLOW_QUERY);
    ZipkinSpan slow = shop.slowQuery(trace).orElseThrow();
    assertThat(slow.kind()).isEqualTo("CLIENT");
    assertThat(slow.tag("db.system")).contains("h2");
    assertThat(slow.parentId()).isEqualTo(shop.backendRoot(trace).id());
    // Next to the slow query, the two fast ones.
    assertThat(trace.childrenOf(shop.backendRoot(trace))).hasSize(3);
  }

  @Test
  void exceptionIsRecordedWhereItWasThrown() {
    ZipkinTrace trace = traces.get(Scenario.ERROR);
    ZipkinSpan validate = shop.validate(trace).orElseThrow();
    ZipkinSpan charge = shop.charge(trace).orElseThrow();
    assertThat(validate.parentId()).isEqualTo(charge.id());
    assertThat(charge.parentId()).isEqualTo(shop.backendRoot(trace).id());
    assertThat(validate.isError()).isTrue();
    ZipkinSpan.Event exception = validate.event("exception").orElseThrow();
    assertThat(exception.attributes())
        .containsEntry("exception.type", "java.lang.IllegalStateException");
    assertThat(exception.attributes().get("exception.message").toString()).contains("declined");
    assertThat(shop.backendRoot(trace).isError()).isTrue();
    assertThat(shop.backendRoot(trace).tag("http.response.status_code")).contains("500");
  }

  @Test
  void itemQueryRepeatsUnderOneParent() {
    ZipkinTrace trace = traces.get(Scenario.N_PLUS_ONE);
    ZipkinSpan parent = shop.nPlusOneParent(trace).orElseThrow();
    assertThat(shop.itemQueries(trace))
        .hasSize(Scenario.N_PLUS_ONE_REPETITIONS)
        .allSatisfy(query -> assertThat(query.parentId()).isEqualTo(parent.id()));
  }

  @Test
  void allocatingStepArrives() {
    ZipkinTrace trace = traces.get(Scenario.ALLOCATION);
    ZipkinSpan render = shop.render(trace).orElseThrow();
    assertThat(render.parentId()).isEqualTo(shop.backendRoot(trace).id());
  }

  // --- The extension's analysis, as attributes on the exported spans. ---

  @Test
  void slowQueryIsTheBottleneckOnTheCriticalPath() {
    ZipkinTrace trace = traces.get(Scenario.SLOW_QUERY);
    ZipkinSpan slow = shop.slowQuery(trace).orElseThrow();
    ZipkinSpan root = shop.backendRoot(trace);
    assertThat(slow.booleanTag(SPAN_BOTTLENECK.getKey()))
        .as("%s on %s", SPAN_BOTTLENECK, slow)
        .isTrue();
    // Why: its own time on the critical path, most of the request's 300 ms and more.
    assertThat(slow.longTag(SPAN_CRITICAL_PATH_NS.getKey()))
        .as("%s on %s", SPAN_CRITICAL_PATH_NS, slow)
        .hasValueSatisfying(nanos -> assertThat(nanos).isGreaterThanOrEqualTo(250_000_000L));
    if (attributeLevel() == AttributeLevel.FULL) {
      assertThat(slow.booleanTag(SPAN_ON_CRITICAL_PATH.getKey()))
          .as("%s on %s", SPAN_ON_CRITICAL_PATH, slow)
          .isTrue();
    }
    if (attributeLevel() == AttributeLevel.FULL) {
      assertThat(root.listTag(TRACE_BOTTLENECK_SPAN_IDS.getKey())).contains(slow.id());
      // An array of several ids: decoding the backend's array encoding is exercised for real.
      assertThat(root.listTag(TRACE_CRITICAL_PATH_SPAN_IDS.getKey()))
          .contains(root.id(), slow.id());
    } else {
      // Only spans with a twentieth of the path: the query, most of it; never a span twice.
      assertThat(root.listTag(TRACE_CRITICAL_PATH_SPAN_IDS.getKey()))
          .contains(slow.id())
          .doesNotHaveDuplicates();
    }
    // Zipkin lowercases span names; the attribute keeps the name as recorded.
    assertThat(root.tag(TRACE_BOTTLENECK_SPAN_NAME.getKey()))
        .hasValueSatisfying(name -> assertThat(name).isEqualToIgnoringCase(slow.name()));
    assertThat(root.tag(TRACE_BOTTLENECK_CATEGORY.getKey()))
        .contains(BottleneckCategory.DATABASE.attributeValue());
  }

  @Test
  void validateIsTheRootCause() {
    ZipkinTrace trace = traces.get(Scenario.ERROR);
    ZipkinSpan validate = shop.validate(trace).orElseThrow();
    ZipkinSpan root = shop.backendRoot(trace);
    assertThat(validate.booleanTag(SPAN_ROOT_CAUSE.getKey()))
        .as("%s on %s", SPAN_ROOT_CAUSE, validate)
        .isTrue();
    assertThat(shop.charge(trace).orElseThrow().booleanTag(SPAN_ROOT_CAUSE.getKey())).isFalse();
    assertThat(root.tag(TRACE_ROOT_CAUSE_SPAN_ID.getKey())).contains(validate.id());
    assertThat(root.tag(TRACE_ROOT_CAUSE_ERROR_TYPE.getKey()))
        .contains("java.lang.IllegalStateException");
  }

  @Test
  void nPlusOneParentIsFlagged() {
    ZipkinSpan parent = shop.nPlusOneParent(traces.get(Scenario.N_PLUS_ONE)).orElseThrow();
    assertThat(parent.longTag(SPAN_N_PLUS_ONE_COUNT.getKey()))
        .as("%s on %s", SPAN_N_PLUS_ONE_COUNT, parent)
        .hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(8));
    assertThat(parent.tag(SPAN_N_PLUS_ONE_STATEMENT.getKey()))
        .hasValueSatisfying(statement -> assertThat(statement).contains("order_items"));
  }

  @Test
  void repositoryNPlusOneIsFlaggedOnTheLoopThroughItsWrapperSpans() {
    // Each count query sits under its own CustomerRepository.countOrders span: never siblings.
    ZipkinTrace trace = traces.get(Scenario.REPOSITORY_N_PLUS_ONE);
    ZipkinSpan root = shop.backendRoot(trace);
    List<ZipkinSpan> queries = shop.countQueries(trace);
    assertThat(queries)
        .hasSize(Scenario.REPOSITORY_REPETITIONS)
        .extracting(ZipkinSpan::parentId)
        .doesNotHaveDuplicates();
    assertThat(root.longTag(SPAN_N_PLUS_ONE_COUNT.getKey()))
        .as("%s on %s", SPAN_N_PLUS_ONE_COUNT, root)
        .contains((long) Scenario.REPOSITORY_REPETITIONS);
    assertThat(root.tag(SPAN_N_PLUS_ONE_STATEMENT.getKey())).contains(ShopTraces.COUNT_QUERY);
    assertThat(root.tag(SPAN_N_PLUS_ONE_KIND.getKey())).contains("query");
    assertThat(root.tag(SPAN_N_PLUS_ONE_VIA.getKey()))
        .hasValueSatisfying(
            via -> assertThat(via).isEqualToIgnoringCase("CustomerRepository.countOrders"));
  }

  @Test
  void allocatingSpanReportsAtLeastWhatItAllocated() {
    ZipkinSpan render = shop.render(traces.get(Scenario.ALLOCATION)).orElseThrow();
    assertThat(render.longTag(SPAN_ALLOCATED_BYTES.getKey()))
        .as("%s on %s", SPAN_ALLOCATED_BYTES, render)
        .hasValueSatisfying(
            bytes -> assertThat(bytes).isGreaterThanOrEqualTo(Scenario.ALLOCATED_BYTES));
  }

  /**
   * {@code full}: every span carries its own figures and the root the whole summary; the default
   * level leaves what the backend can derive to it: only bottlenecks carry their time on the
   * critical path.
   */
  @Test
  void perSpanFiguresFollowTheAttributeLevel() {
    boolean full = attributeLevel() == AttributeLevel.FULL;
    assertThat(traces.values().stream().flatMap(trace -> trace.spans().stream()))
        .isNotEmpty()
        .allSatisfy(
            span -> {
              boolean expected = full || span.booleanTag(SPAN_BOTTLENECK.getKey());
              assertThat(span.longTag(SPAN_CRITICAL_PATH_NS.getKey()).isPresent())
                  .as("%s on %s", SPAN_CRITICAL_PATH_NS, span)
                  .isEqualTo(expected);
              if (full) {
                assertThat(span.longTag(SPAN_SELF_TIME_NS.getKey()))
                    .as("%s on %s", SPAN_SELF_TIME_NS, span)
                    .hasValueSatisfying(nanos -> assertThat(nanos).isNotNegative());
              }
              assertThat(span.longTag(SPAN_DEPTH.getKey()).isPresent())
                  .as("%s on %s", SPAN_DEPTH, span)
                  .isEqualTo(full);
            });
    ZipkinSpan root = shop.backendRoot(traces.get(Scenario.SLOW_QUERY));
    assertThat(root.longTag(TRACE_DURATION_NS.getKey()).isPresent()).isEqualTo(full);
  }
}
