package dev.traceinsights.it;

import dev.traceinsights.harness.DemoServices;
import dev.traceinsights.harness.Scenario;
import dev.traceinsights.harness.ZipkinSpan;
import dev.traceinsights.harness.ZipkinTrace;
import java.util.List;
import java.util.Optional;

/** Where each scenario's telling spans are in a trace of the demo, and when a trace is complete. */
final class ShopTraces {

  static final String ITEM_QUERY =
      "SELECT product_id, quantity FROM order_items WHERE order_id = ?";

  static final String COUNT_QUERY = "SELECT COUNT(*) FROM orders WHERE customer_id = ?";

  private final String frontend;
  private final String backend;

  ShopTraces(DemoServices services) {
    this.frontend = services.frontendServiceName();
    this.backend = services.backendServiceName();
  }

  ZipkinSpan frontendRoot(ZipkinTrace trace) {
    return trace.localRoot(frontend).orElseThrow();
  }

  ZipkinSpan backendRoot(ZipkinTrace trace) {
    return trace.localRoot(backend).orElseThrow();
  }

  /** The JDBC span of the stock valuation query (the H2 function that takes ~300 ms). */
  Optional<ZipkinSpan> slowQuery(ZipkinTrace trace) {
    return trace.find(
        span ->
            span.serviceName().equals(backend)
                && span.dbStatement().map(sql -> sql.contains("STOCK_VALUATION")).orElse(false));
  }

  Optional<ZipkinSpan> validate(ZipkinTrace trace) {
    return trace.named("CardValidator.validate");
  }

  Optional<ZipkinSpan> charge(ZipkinTrace trace) {
    return trace.named("PaymentService.charge");
  }

  Optional<ZipkinSpan> nPlusOneParent(ZipkinTrace trace) {
    return trace.named("OrderRepository.findRecentOrdersWithItems");
  }

  List<ZipkinSpan> itemQueries(ZipkinTrace trace) {
    return trace.findAll(span -> span.dbStatement().map(ITEM_QUERY::equals).orElse(false));
  }

  List<ZipkinSpan> countQueries(ZipkinTrace trace) {
    return trace.findAll(span -> span.dbStatement().map(COUNT_QUERY::equals).orElse(false));
  }

  Optional<ZipkinSpan> render(ZipkinTrace trace) {
    return trace.named("ReportExporter.render");
  }

  /**
   * Whether every span the scenario's assertions look at has arrived: spans are exported
   * asynchronously, by two processes, so a trace is read back in pieces at first.
   */
  boolean isComplete(Scenario scenario, ZipkinTrace trace) {
    if (trace.localRoot(frontend).isEmpty() || trace.localRoot(backend).isEmpty()) {
      return false;
    }
    return switch (scenario) {
      case SLOW_QUERY -> slowQuery(trace).isPresent();
      case ERROR -> validate(trace).isPresent() && charge(trace).isPresent();
      case N_PLUS_ONE ->
          nPlusOneParent(trace).isPresent()
              && itemQueries(trace).size() == Scenario.N_PLUS_ONE_REPETITIONS;
      case ALLOCATION -> render(trace).isPresent();
      case REPOSITORY_N_PLUS_ONE -> countQueries(trace).size() == Scenario.REPOSITORY_REPETITIONS;
    };
  }
}
