package dev.traceinsights.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.harness.InsightSummary;
import dev.traceinsights.harness.Scenario;
import dev.traceinsights.harness.TraceBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent's zipkin exporter sends the enriched spans to a real Zipkin server. */
@ExtendWith(SharedZipkin.class)
class ZipkinExportIT extends ScenarioExportContract {

  @Override
  TraceBackend startBackend() {
    return SharedZipkin.server();
  }

  @Override
  void stopBackend(TraceBackend backend) {
    // Shared with other classes; JUnit closes it at the end of the run.
  }

  @Override
  String servicePrefix() {
    return "zipkin-it";
  }

  /** The demo's summary, built from a service query, finds each kind of insight. */
  @Test
  void demoSummaryFindsEachInsight() {
    InsightSummary summary =
        InsightSummary.of(api.traces(services.backendServiceName(), Duration.ofHours(1), 100));
    assertThat(summary.analysedSpans()).as(summary.render()).isPositive();
    assertThat(summary.bottlenecks())
        .anySatisfy(
            bottleneck -> {
              assertThat(bottleneck.service()).isEqualTo(services.backendServiceName());
              assertThat(bottleneck.endpoint()).isEqualToIgnoringCase("GET /inventory/report");
              assertThat(bottleneck.category())
                  .isEqualTo(BottleneckCategory.DATABASE.attributeValue());
              assertThat(bottleneck.averageShare()).isBetween(0.0, 1.0);
            });
    assertThat(summary.rootCauses())
        .anySatisfy(
            cause -> {
              assertThat(cause.spanName()).isEqualToIgnoringCase("CardValidator.validate");
              assertThat(cause.errorType()).isEqualTo("java.lang.IllegalStateException");
            });
    assertThat(summary.nPlusOnes())
        .anySatisfy(
            nPlusOne ->
                assertThat(nPlusOne.spanName())
                    .isEqualToIgnoringCase("OrderRepository.findRecentOrdersWithItems"));
    assertThat(summary.allocators())
        .anySatisfy(
            allocator -> {
              assertThat(allocator.spanName()).isEqualToIgnoringCase("ReportExporter.render");
              assertThat(allocator.averageSelfBytes())
                  .isGreaterThanOrEqualTo(Scenario.ALLOCATED_BYTES);
            });
  }
}
