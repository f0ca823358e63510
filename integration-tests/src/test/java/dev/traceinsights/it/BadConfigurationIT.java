package dev.traceinsights.it;

import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_COUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.traceinsights.harness.ChildProcess;
import dev.traceinsights.harness.DemoServices;
import dev.traceinsights.harness.Scenario;
import dev.traceinsights.harness.ShopClient;
import dev.traceinsights.harness.ZipkinApi;
import dev.traceinsights.harness.ZipkinSpan;
import dev.traceinsights.harness.ZipkinTrace;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A value the extension cannot use must not hurt the application: the demo keeps serving, says so
 * once in its log, and the analysis runs on with the default.
 */
@ExtendWith(SharedZipkin.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadConfigurationIT {

  private static final String KEY = "traceinsights.n-plus-one.threshold";

  private DemoServices services;
  private ShopClient client;

  @BeforeAll
  void start() {
    services =
        DemoServices.builder(ItEnvironment.artifacts(), SharedZipkin.server())
            .namePrefix("badconfig-it")
            .workDir(ItEnvironment.workDir("badconfig-it"))
            .systemProperty(KEY, "banana")
            .start();
    client = new ShopClient(services.frontend());
  }

  @AfterAll
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void keepsServing() {
    for (Scenario scenario : Scenario.values()) {
      assertThat(client.callTraced(scenario).status())
          .as(scenario.toString())
          .isEqualTo(scenario.expectedStatus());
    }
  }

  @Test
  void logsOneLineNamingTheKey() {
    // Serve something first, in case the value is only read when it is first needed.
    assertThat(client.callTraced(Scenario.N_PLUS_ONE).status()).isEqualTo(200);
    for (ChildProcess service :
        new ChildProcess[] {services.backendProcess(), services.frontendProcess()}) {
      await(service.name() + " logs a line naming " + KEY)
          .atMost(Duration.ofSeconds(30))
          .until(() -> linesNamingTheKey(service) >= 1);
      assertThat(linesNamingTheKey(service))
          .as("lines naming %s in %s:%n%s", KEY, service.log(), service.tail(30))
          .isEqualTo(1);
    }
  }

  @Test
  void nPlusOneIsStillFlaggedWithTheDefaultThreshold() {
    ShopClient.Call call = client.callTraced(Scenario.N_PLUS_ONE);
    assertThat(call.status()).isEqualTo(200);
    ShopTraces shop = new ShopTraces(services);
    ZipkinTrace trace =
        new ZipkinApi(SharedZipkin.server().zipkinApi())
            .awaitTrace(
                call.traceId(),
                "with every span of " + Scenario.N_PLUS_ONE,
                found -> shop.isComplete(Scenario.N_PLUS_ONE, found),
                ScenarioExportContract.EXPORT_TIMEOUT);
    ZipkinSpan parent = shop.nPlusOneParent(trace).orElseThrow();
    assertThat(parent.longTag(SPAN_N_PLUS_ONE_COUNT.getKey()))
        .as("%s on %s", SPAN_N_PLUS_ONE_COUNT, parent)
        .hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(8));
  }

  private static long linesNamingTheKey(ChildProcess service) {
    return service.logLines().stream().filter(line -> line.contains(KEY)).count();
  }
}
