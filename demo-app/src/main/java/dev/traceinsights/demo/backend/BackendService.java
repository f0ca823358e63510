package dev.traceinsights.demo.backend;

import com.sun.net.httpserver.HttpExchange;
import dev.traceinsights.demo.HttpService;
import dev.traceinsights.demo.HttpService.Response;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The shop's backend: JDBC against an in-memory H2 database, plus some plain Java work. */
public final class BackendService {

  public static HttpService start(String host, int port) throws IOException {
    Database database;
    try {
      database = Database.createInMemory();
    } catch (SQLException e) {
      throw new IOException("could not create the demo database", e);
    }
    InventoryReport inventory = new InventoryReport(database);
    PaymentService payments = new PaymentService(database, new CardValidator());
    OrderRepository orders = new OrderRepository(database);
    CustomerRepository customers = new CustomerRepository(database);
    ReportExporter exporter = new ReportExporter();
    return HttpService.builder(host, port)
        .route("/inventory/report", exchange -> Response.ok(inventory.build()))
        .route(
            "/payments/charge",
            exchange -> {
              Map<String, String> query = query(exchange);
              return Response.ok(
                  payments.charge(query.get("card"), Long.parseLong(query.get("amount"))));
            })
        .route(
            "/orders/recent",
            exchange ->
                Response.ok(
                    orders
                            .findRecentOrdersWithItems(
                                Long.parseLong(query(exchange).get("customer")))
                            .size()
                        + " orders"))
        .route("/customers/order-counts", exchange -> Response.ok(customers.orderCounts()))
        .route("/reports/export", exchange -> Response.ok(exporter.render()))
        .start();
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> values = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  private BackendService() {}
}
