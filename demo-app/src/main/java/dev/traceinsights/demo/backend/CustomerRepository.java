package dev.traceinsights.demo.backend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Scenario "N+1 behind a repository": the caller loops over customers and calls {@link
 * #countOrders} for each, as code written against a Spring Data repository does. Each call is a
 * span of its own (through {@code otel.instrumentation.methods.include}) with its one query below,
 * so the repeated statements are never siblings.
 */
public class CustomerRepository {

  /** The customers the order-count report loops over, hence how often the query repeats. */
  static final int CUSTOMERS = 12;

  private final Database database;

  CustomerRepository(Database database) {
    this.database = database;
  }

  public long countOrders(long customerId) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement("SELECT COUNT(*) FROM orders WHERE customer_id = ?")) {
      statement.setLong(1, customerId);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  /** Orders per customer, one repository call per customer: the N+1. */
  String orderCounts() throws SQLException {
    long total = 0;
    for (long customer = 1; customer <= CUSTOMERS; customer++) {
      total += countOrders(customer);
    }
    return CUSTOMERS + " customers, " + total + " orders";
  }
}
