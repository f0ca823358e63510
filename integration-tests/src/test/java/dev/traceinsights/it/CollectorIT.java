package dev.traceinsights.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.traceinsights.harness.CollectorProcess;
import dev.traceinsights.harness.DemoServices;
import dev.traceinsights.harness.PrometheusScrape;
import dev.traceinsights.harness.Scenario;
import dev.traceinsights.harness.ShopClient;
import dev.traceinsights.harness.SkyWalkingOap;
import dev.traceinsights.harness.ZipkinApi;
import dev.traceinsights.harness.ZipkinSpan;
import dev.traceinsights.harness.ZipkinTrace;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The collector between the services and two real backends, as users run it: the demo services
 * under the real javaagent with the extension export to {@code java -jar
 * trace-insights-collector.jar} (the frontend over OTLP/gRPC, the backend over OTLP/HTTP with
 * protobuf), which exports OTLP/gRPC to a real SkyWalking OAP and Zipkin v2 to a real Zipkin. The
 * collector's tail decisions keep errors, N+1 and traces slower than 250 ms, and nothing else.
 */
@ExtendWith(SharedZipkin.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int WARM_UP_ROUNDS = 3;
  private static final String PREFIX = "collector-it";
  private static final String FRONTEND = PREFIX + "-frontend";
  private static final String BACKEND = PREFIX + "-backend";

  private SkyWalkingOap skyWalking;
  private CollectorProcess collector;
  private DemoServices services;
  private ZipkinApi zipkin;
  private ZipkinApi skyWalkingApi;
  private ShopTraces shop;
  private final Map<Scenario, String> traceIds = new EnumMap<>(Scenario.class);
  private int requests;
  private int checkouts;

  @BeforeAll
  void startAndDrive() {
    skyWalking =
        SkyWalkingOap.start(
            ItEnvironment.artifacts().skyWalkingLib(), ItEnvironment.workDir("collector-it-oap"));
    collector =
        CollectorProcess.start(
            ItEnvironment.artifacts().collectorJar(),
            ItEnvironment.workDir("collector-it"),
            Map.of(
                "exporters.otlp.endpoint", skyWalking.otlpEndpoint().toString(),
                "exporters.otlp.protocol", "grpc",
                "exporters.zipkin.endpoint", SharedZipkin.server().spansEndpoint().toString(),
                "processors.traceinsights.decision.quiet_period", "500ms",
                // The services' calls come with a traceparent from a caller that sends no spans.
                "processors.traceinsights.decision.upstream_wait", "2s",
                "processors.traceinsights.tail.slow_threshold", "250ms",
                "processors.traceinsights.tail.slow_percentile", "0",
                "processors.traceinsights.tail.rare_threshold", "0"),
            SharedZipkin.server().zipkinApi());
    DemoServices.Builder builder =
        DemoServices.builder(ItEnvironment.artifacts(), collector)
            .namePrefix(PREFIX)
            .workDir(ItEnvironment.workDir(PREFIX));
    collector.httpProtobufExporterProperties().forEach(builder::backendSystemProperty);
    services = builder.start();
    zipkin = new ZipkinApi(SharedZipkin.server().zipkinApi());
    skyWalkingApi = new ZipkinApi(skyWalking.zipkinApi());
    shop = new ShopTraces(services);
    ShopClient client = new ShopClient(services.frontend());
    // Warm-up: class loading and the JIT would otherwise put more time in the first requests'
    // root spans than in the 300 ms query.
    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
      for (Scenario scenario : Scenario.values()) {
        count(scenario, client.call(scenario));
      }
    }
    for (Scenario scenario : Scenario.values()) {
      ShopClient.Call call = client.callTraced(scenario);
      count(scenario, call);
      traceIds.put(scenario, call.traceId());
    }
  }

  private void count(Scenario scenario, ShopClient.Call call) {
    assertThat(call.status())
        .as(scenario + ": " + call.body())
        .isEqualTo(scenario.expectedStatus());
    requests++;
    if (scenario == Scenario.ERROR) {
      checkouts++;
    }
  }

  @AfterAll
  void stop() {
    try {
      if (services != null) {
        services.close();
      }
    } finally {
      try {
        if (collector != null) {
          collector.close();
        }
      } finally {
        if (skyWalking != null) {
          skyWalking.close();
        }
      }
    }
  }

  private ZipkinTrace awaitComplete(ZipkinApi api, Scenario scenario) {
    return api.awaitTrace(
        traceIds.get(scenario),
        "with every span of " + scenario,
        trace -> shop.isComplete(scenario, trace),
        TIMEOUT);
  }

  @Test
  void slowReport_bottleneckIsTheBackendsQuery_notTheFrontendsRemoteCall_inBothBackends() {
    for (ZipkinApi api : new ZipkinApi[] {zipkin, skyWalkingApi}) {
      ZipkinTrace trace = awaitComplete(api, Scenario.SLOW_QUERY);
      ZipkinSpan query = shop.slowQuery(trace).orElseThrow();
      ZipkinSpan root = shop.frontendRoot(trace);

      assertThat(query.booleanTag("traceinsights.span.bottleneck")).as(api.toString()).isTrue();
      // Zipkin lowercases span names, not tag values.
      assertThat(root.tag("traceinsights.trace.bottleneck_span_name"))
          .hasValueSatisfying(name -> assertThat(name).isEqualToIgnoringCase(query.name()));
      assertThat(root.longTag("traceinsights.trace.service_count")).contains(2L);
      // In process the frontend's verdict was its remote call; that local result is replaced.
      ZipkinSpan remoteCall =
          trace.childrenOf(root).stream()
              .filter(span -> "CLIENT".equals(span.kind()))
              .findFirst()
              .orElseThrow();
      assertThat(remoteCall.tag("traceinsights.span.bottleneck")).isEmpty();
      assertThat(root.tag("traceinsights.sampling.reason")).contains("slow");
    }
  }

  @Test
  void checkout_rootCauseIsTheCardValidator_withAChainAcrossTheServiceBoundary() {
    ZipkinTrace trace = awaitComplete(zipkin, Scenario.ERROR);
    ZipkinSpan root = shop.frontendRoot(trace);
    ZipkinSpan validate = shop.validate(trace).orElseThrow();

    assertThat(validate.serviceName()).isEqualTo(BACKEND);
    assertThat(validate.booleanTag("traceinsights.span.root_cause")).isTrue();
    assertThat(root.tag("traceinsights.trace.root_cause_span_name"))
        .contains("CardValidator.validate");
    assertThat(trace.spansOf(FRONTEND))
        .anySatisfy(span -> assertThat(span.booleanTag("traceinsights.span.error_chain")).isTrue());
    assertThat(trace.spansOf(BACKEND))
        .anySatisfy(span -> assertThat(span.booleanTag("traceinsights.span.error_chain")).isTrue());
    assertThat(root.tag("traceinsights.sampling.reason")).contains("error");
  }

  @Test
  void keptTraces_arriveWhole_fromBothServices_andBothTransports() {
    // The frontend's spans came over OTLP/gRPC, the backend's over OTLP/HTTP protobuf.
    for (Scenario kept :
        new Scenario[] {Scenario.ERROR, Scenario.N_PLUS_ONE, Scenario.REPOSITORY_N_PLUS_ONE}) {
      ZipkinTrace trace = awaitComplete(zipkin, kept);
      assertThat(trace.spansOf(FRONTEND)).as(kept.name()).isNotEmpty();
      assertThat(trace.spansOf(BACKEND)).as(kept.name()).isNotEmpty();
    }
  }

  @Test
  void traceNoPolicyWants_isAbsentWhole_fromEveryService() {
    allTracesDecided();
    // The export made after the dropped one has arrived: the dropped one would have by now.
    awaitComplete(zipkin, Scenario.REPOSITORY_N_PLUS_ONE);

    assertThat(zipkin.trace(traceIds.get(Scenario.ALLOCATION))).isEmpty();
    assertThat(scrape().sum("traceinsights_collector_traces_total", Map.of("outcome", "dropped")))
        .isGreaterThanOrEqualTo(WARM_UP_ROUNDS + 1);
  }

  @Test
  void serviceGraph_frontendToBackend_countsEveryCallAndTheFailedOnes() {
    allTracesDecided();
    Map<String, String> edge = Map.of("client", FRONTEND, "server", BACKEND);

    PrometheusScrape metrics = scrape();

    assertThat(metrics.sum("traces_service_graph_request_total", edge)).isEqualTo(requests);
    assertThat(metrics.sum("traces_service_graph_request_failed_total", edge)).isEqualTo(checkouts);
    assertThat(metrics.sum("traces_service_graph_request_server_seconds_count", edge))
        .isEqualTo(requests);
    // The backend's JDBC calls end at a virtual node for the database.
    assertThat(
            metrics.sum(
                "traces_service_graph_request_total",
                Map.of("client", BACKEND, "server", "h2", "connection_type", "database")))
        .isPositive();
  }

  /** Every request's trace has been decided (one trace per request). */
  private void allTracesDecided() {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              PrometheusScrape metrics = scrape();
              return metrics.sum("traceinsights_collector_traces_total", Map.of("outcome", "kept"))
                      + metrics.sum(
                          "traceinsights_collector_traces_total", Map.of("outcome", "dropped"))
                  >= requests;
            });
  }

  private PrometheusScrape scrape() {
    return PrometheusScrape.of(collector.metricsEndpoint());
  }
}
