package dev.traceinsights.it;

import static dev.traceinsights.semconv.InsightAttributes.SPAN_ALLOCATED_BYTES;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_CRITICAL_PATH_SPAN_IDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.traceinsights.harness.DemoServices;
import dev.traceinsights.harness.Scenario;
import dev.traceinsights.harness.ShopClient;
import dev.traceinsights.harness.ZipkinApi;
import dev.traceinsights.harness.ZipkinSpan;
import dev.traceinsights.harness.ZipkinTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The allocation scenario with the demo services on Temurin 25, when it is installed. */
@ExtendWith(SharedZipkin.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Temurin25IT {

  private DemoServices services;
  private ShopTraces shop;
  private ZipkinTrace trace;

  @BeforeAll
  void startOnTemurin25AndDriveTheAllocationScenario() throws IOException {
    Optional<Path> java = temurin25();
    assumeTrue(java.isPresent(), "no /usr/lib/jvm/temurin-25*/bin/java on this machine");
    services =
        DemoServices.builder(ItEnvironment.artifacts(), SharedZipkin.server())
            .java(java.get())
            .namePrefix("temurin25-it")
            .workDir(ItEnvironment.workDir("temurin25-it"))
            .start();
    shop = new ShopTraces(services);
    ShopClient.Call call = new ShopClient(services.frontend()).callTraced(Scenario.ALLOCATION);
    assertThat(call.status()).isEqualTo(200);
    trace =
        new ZipkinApi(SharedZipkin.server().zipkinApi())
            .awaitTrace(
                call.traceId(),
                "with every span of " + Scenario.ALLOCATION,
                found -> shop.isComplete(Scenario.ALLOCATION, found),
                ScenarioExportContract.EXPORT_TIMEOUT);
  }

  @AfterAll
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void servicesRunOnJava25AndExportTheAllocatingSpan() {
    assertThat(services.backendProcess().logLines()).anyMatch(line -> line.contains("(Java 25"));
    assertThat(services.frontendProcess().logLines()).anyMatch(line -> line.contains("(Java 25"));
    assertThat(shop.render(trace)).isPresent();
  }

  @Test
  void allocatingSpanReportsAtLeastWhatItAllocated() {
    ZipkinSpan render = shop.render(trace).orElseThrow();
    assertThat(render.longTag(SPAN_ALLOCATED_BYTES.getKey()))
        .as("%s on %s", SPAN_ALLOCATED_BYTES, render)
        .hasValueSatisfying(
            bytes -> assertThat(bytes).isGreaterThanOrEqualTo(Scenario.ALLOCATED_BYTES));
    // Every local trace was analysed: each service's local root carries the critical path.
    for (String service :
        new String[] {services.backendServiceName(), services.frontendServiceName()}) {
      assertThat(
              trace.localRoot(service).orElseThrow().listTag(TRACE_CRITICAL_PATH_SPAN_IDS.getKey()))
          .as("%s on the local root of %s", TRACE_CRITICAL_PATH_SPAN_IDS, service)
          .isNotEmpty();
    }
  }

  private static Optional<Path> temurin25() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> entries = Files.list(jvms)) {
      return entries
          .filter(dir -> dir.getFileName().toString().startsWith("temurin-25"))
          .map(dir -> dir.resolve("bin/java"))
          .filter(Files::isExecutable)
          .sorted()
          .findFirst();
    }
  }
}
