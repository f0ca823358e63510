package dev.traceinsights.demo.frontend;

import dev.traceinsights.demo.HttpService;
import dev.traceinsights.demo.HttpService.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The shop's edge service: each endpoint is one scenario and calls one backend endpoint over HTTP
 * ({@link HttpClient}, which the javaagent instruments and propagates the trace context through).
 */
public final class FrontendService {

  public static final String INVENTORY_REPORT = "/shop/inventory-report";
  public static final String CHECKOUT = "/shop/checkout";
  public static final String ORDERS = "/shop/orders";
  public static final String EXPORT = "/shop/export";
  public static final String CUSTOMERS = "/shop/customers";

  /** Every scenario endpoint, in the order the traffic generators call them. */
  public static final List<String> SCENARIO_PATHS =
      List.of(INVENTORY_REPORT, CHECKOUT, ORDERS, EXPORT, CUSTOMERS);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI backend;

  private FrontendService(URI backend) {
    this.backend = backend;
  }

  public static HttpService start(String host, int port, URI backend) throws IOException {
    FrontendService frontend = new FrontendService(backend);
    return HttpService.builder(host, port)
        // Slow query: the backend's stock valuation query is the bottleneck.
        .route(INVENTORY_REPORT, exchange -> frontend.call("/inventory/report"))
        // Error a few calls deep: the card validator throws, the backend answers 500.
        .route(
            CHECKOUT,
            exchange -> frontend.call("/payments/charge?card=4242-4242-4242-4242&amount=42"))
        // N+1: one query for the orders, then one query per order for its items.
        .route(ORDERS, exchange -> frontend.call("/orders/recent?customer=7"))
        // Allocation: rendering the export allocates a known number of bytes.
        .route(EXPORT, exchange -> frontend.call("/reports/export"))
        // N+1 behind a repository: one repository call (a span) per customer, each one query.
        .route(CUSTOMERS, exchange -> frontend.call("/customers/order-counts"))
        .start();
  }

  private Response call(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(backend.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    String body = response.body().strip();
    if (response.statusCode() >= 500) {
      return new Response(502, "backend failed: " + body);
    }
    return new Response(response.statusCode(), body);
  }
}
