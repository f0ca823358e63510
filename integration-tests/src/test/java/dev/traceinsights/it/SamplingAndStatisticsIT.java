package dev.traceinsights.it;

import static dev.traceinsights.semconv.InsightAttributes.SAMPLING_REASON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.traceinsights.harness.DemoServices;
import dev.traceinsights.harness.FreePort;
import dev.traceinsights.harness.PrometheusScrape;
import dev.traceinsights.harness.Scenario;
import dev.traceinsights.harness.ShopClient;
import dev.traceinsights.harness.ZipkinApi;
import dev.traceinsights.harness.ZipkinTrace;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Record everything, export selectively, under the real javaagent: both demo services use {@code
 * traceinsights_record_all} with a 1 % parent-based ratio, and the requests come from an upstream
 * that did not sample them ({@code traceparent} flags 00). Head sampling therefore exports none of
 * them, and what reaches the real Zipkin server is what the tail decisions kept. The agent's
 * Prometheus exporter serves the live statistics, counted over every recorded span.
 */
@ExtendWith(SharedZipkin.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplingAndStatisticsIT {

  private static final String REASON = SAMPLING_REASON.getKey();

  private static final int ROUNDS = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private DemoServices services;
  private ZipkinApi zipkin;
  private ShopTraces shop;
  private URI frontendMetrics;
  private URI backendMetrics;
  private final Map<Scenario, List<String>> unsampled = new EnumMap<>(Scenario.class);
  private final Map<Scenario, String> sampled = new EnumMap<>(Scenario.class);

  @BeforeAll
  void startAndDrive() {
    int frontendPort = FreePort.pick();
    int backendPort = FreePort.pick();
    services =
        DemoServices.builder(ItEnvironment.artifacts(), SharedZipkin.server())
            .namePrefix("sampling-it")
            .workDir(ItEnvironment.workDir("sampling-it"))
            .systemProperty("otel.traces.sampler", "traceinsights_record_all")
            .systemProperty("otel.traces.sampler.arg", "0.01")
            // The inventory report's query sleeps 300 ms; nothing else comes near 250 ms.
            .systemProperty("traceinsights.tail.slow.threshold", "250ms")
            .systemProperty("traceinsights.tail.rare.threshold", "0")
            .systemProperty("otel.metrics.exporter", "prometheus")
            .systemProperty("otel.exporter.prometheus.host", "127.0.0.1")
            .frontendSystemProperty("otel.exporter.prometheus.port", String.valueOf(frontendPort))
            .backendSystemProperty("otel.exporter.prometheus.port", String.valueOf(backendPort))
            .start();
    frontendMetrics = URI.create("http://127.0.0.1:" + frontendPort + "/metrics");
    backendMetrics = URI.create("http://127.0.0.1:" + backendPort + "/metrics");
    zipkin = new ZipkinApi(SharedZipkin.server().zipkinApi());
    shop = new ShopTraces(services);

    ShopClient client = new ShopClient(services.frontend());
    for (int round = 0; round < ROUNDS; round++) {
      for (Scenario scenario : Scenario.values()) {
        ShopClient.Call call = client.callTraced(scenario, false);
        assertThat(call.status()).as(call.body()).isEqualTo(scenario.expectedStatus());
        unsampled.computeIfAbsent(scenario, s -> new ArrayList<>()).add(call.traceId());
      }
    }
    // Last, a round whose upstream sampled every request.
    for (Scenario scenario : Scenario.values()) {
      sampled.put(scenario, client.callTraced(scenario, true).traceId());
    }
  }

  @AfterAll
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void everyErrorTraceReachesTheBackendWithItsReason() {
    for (String traceId : unsampled.get(Scenario.ERROR)) {
      assertLocalRootsCarry(awaitComplete(Scenario.ERROR, traceId), "error");
    }
  }

  @Test
  void everySlowTraceReachesTheBackendWithItsReason() {
    for (String traceId : unsampled.get(Scenario.SLOW_QUERY)) {
      assertLocalRootsCarry(awaitComplete(Scenario.SLOW_QUERY, traceId), "slow");
    }
  }

  @Test
  void nPlusOneIsKeptWhereItHappens() {
    for (String traceId : unsampled.get(Scenario.N_PLUS_ONE)) {
      ZipkinTrace trace =
          zipkin.awaitTrace(
              traceId,
              "with the backend's N+1",
              found ->
                  found.localRoot(services.backendServiceName()).isPresent()
                      && shop.itemQueries(found).size() == Scenario.N_PLUS_ONE_REPETITIONS,
              TIMEOUT);
      assertThat(trace.localRoot(services.backendServiceName()).orElseThrow().tag(REASON))
          .contains("n_plus_one");
    }
  }

  @Test
  void tracesNoPolicyWantsAreNotExported() {
    // The sampled round's export trace was sent after these: once it is in Zipkin, anything kept
    // before it would be too (the agent exports in order, every 200 ms).
    awaitComplete(Scenario.ALLOCATION, sampled.get(Scenario.ALLOCATION));
    int absent = 0;
    for (String traceId : unsampled.get(Scenario.ALLOCATION)) {
      Optional<ZipkinTrace> trace = zipkin.trace(traceId);
      if (trace.isEmpty()) {
        absent++;
      } else {
        // Only a machine slow enough to push the export past 250 ms keeps it: then as slow.
        assertLocalRootsCarry(trace.get(), "slow");
      }
    }
    assertThat(absent).isPositive();
  }

  @Test
  void aSampledUpstreamIsRespected() {
    for (Scenario scenario : Scenario.values()) {
      // Head sampling kept it: at the default attribute level nothing needs saying.
      ZipkinTrace trace = awaitComplete(scenario, sampled.get(scenario));
      assertThat(trace.spans()).allSatisfy(span -> assertThat(span.tag(REASON)).isEmpty());
    }
  }

  @Test
  void liveStatisticsCountEveryRecordedRequest() {
    int calls = ROUNDS + 1; // per scenario: the unsampled rounds and the sampled one
    for (Scenario scenario : Scenario.values()) {
      String operation = "GET /" + scenario.path();
      Map<String, String> server = Map.of("span_name", operation, "span_kind", "server");
      PrometheusScrape scrape =
          await("statistics of " + operation)
              .atMost(TIMEOUT)
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> PrometheusScrape.of(frontendMetrics),
                  found -> found.sum("traceinsights_operation_calls_total", server) >= calls);
      assertThat(scrape.sum("traceinsights_operation_calls_total", server)).isEqualTo(calls);
      assertThat(scrape.sum("traceinsights_operation_duration_seconds_count", server))
          .isEqualTo(calls);
      assertThat(scrape.sum("traceinsights_operation_errors_total", server))
          .isEqualTo(scenario == Scenario.ERROR ? calls : 0);
    }
    PrometheusScrape frontend = PrometheusScrape.of(frontendMetrics);
    assertThat(tail(frontend, "kept", "error")).isEqualTo(ROUNDS);
    assertThat(tail(frontend, "kept", "slow")).isGreaterThanOrEqualTo(ROUNDS);
    assertThat(tail(frontend, "kept", "head")).isEqualTo(Scenario.values().length);
    assertThat(tail(frontend, "dropped", "not_selected")).isPositive();
    // The backend's slowest query: the 300 ms STOCK_VALUATION call, in its self-time histogram.
    PrometheusScrape backend = PrometheusScrape.of(backendMetrics);
    assertThat(backend.sum("traceinsights_operation_self_time_seconds_count", Map.of()))
        .isPositive();
    assertThat(backend.sum("traceinsights_traces_analyzed_total", Map.of()))
        .isGreaterThanOrEqualTo(Scenario.values().length * (ROUNDS + 1));
  }

  private static double tail(PrometheusScrape scrape, String decision, String reason) {
    return scrape.sum(
        "traceinsights_tail_traces_total", Map.of("decision", decision, "reason", reason));
  }

  private ZipkinTrace awaitComplete(Scenario scenario, String traceId) {
    return zipkin.awaitTrace(
        traceId,
        "with every span of " + scenario,
        trace -> shop.isComplete(scenario, trace),
        TIMEOUT);
  }

  /**
   * At the default attribute level the reason is on each service's local root (on every span at
   * {@code full}); a service whose part is there carries it.
   */
  private static void assertLocalRootsCarry(ZipkinTrace trace, String reason) {
    Set<String> services = new TreeSet<>();
    trace.spans().forEach(span -> services.add(span.serviceName()));
    assertThat(services).isNotEmpty();
    for (String service : services) {
      assertThat(trace.localRoot(service).orElseThrow().tag(REASON))
          .as("%s on the local root of %s", REASON, service)
          .contains(reason);
    }
  }
}
