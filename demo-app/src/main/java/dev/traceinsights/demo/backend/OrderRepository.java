package dev.traceinsights.demo.backend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario "N+1": one query for a customer's orders, then the same item query once per order (the
 * classic ORM lazy-loading mistake), all under the traced {@code findRecentOrdersWithItems} span.
 */
public class OrderRepository {

  private final Database database;

  OrderRepository(Database database) {
    this.database = database;
  }

  /** An order and how many items it has. */
  record Order(long id, int items) {}

  public List<Order> findRecentOrdersWithItems(long customerId) throws SQLException {
    List<Order> orders = new ArrayList<>();
    try (Connection connection = database.connect()) {
      List<Long> orderIds = new ArrayList<>();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT id FROM orders WHERE customer_id = ? ORDER BY placed_at DESC")) {
        statement.setLong(1, customerId);
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            orderIds.add(result.getLong(1));
          }
        }
      }
      for (long orderId : orderIds) {
        try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT product_id, quantity FROM order_items WHERE order_id = ?")) {
          statement.setLong(1, orderId);
          int items = 0;
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              items++;
            }
          }
          orders.add(new Order(orderId, items));
        }
      }
    }
    return orders;
  }
}
