package dev.traceinsights.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

  @Test
  void readsSamplesWithLabelsAndSkipsComments() {
    PrometheusScrape scrape =
        PrometheusScrape.parse(
            """
            # HELP traceinsights_operation_calls_total Calls
            # TYPE traceinsights_operation_calls_total counter
            traceinsights_operation_calls_total{span_kind="server",span_name="GET /a"} 3.0
            traceinsights_operation_calls_total{span_kind="client",span_name="say \\"hi\\", \\\\ok"} 2
            target_info 1
            """);

    assertThat(scrape.samples()).hasSize(3);
    assertThat(scrape.sum("traceinsights_operation_calls_total", Map.of())).isEqualTo(5.0);
    assertThat(scrape.sum("traceinsights_operation_calls_total", Map.of("span_name", "GET /a")))
        .isEqualTo(3.0);
    assertThat(scrape.find("traceinsights_operation_calls_total", Map.of("span_kind", "client")))
        .singleElement()
        .satisfies(
            sample -> assertThat(sample.labels()).containsEntry("span_name", "say \"hi\", \\ok"));
    assertThat(scrape.sum("target_info", Map.of())).isEqualTo(1.0);
    assertThat(scrape.sum("absent", Map.of())).isZero();
  }
}
