package dev.traceinsights.demo.backend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory H2 database with the shop's tables and a little data. */
final class Database {

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Orders customer 7 has: the N+1 loop runs the item query once per order. */
  static final int ORDERS_PER_CUSTOMER = 10;

  private final String url;

  private Database(String url) {
    this.url = url;
  }

  static Database createInMemory() throws SQLException {
    // DB_CLOSE_DELAY=-1 keeps the database while no connection is open.
    Database database =
        new Database("jdbc:h2:mem:shop" + INSTANCES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE products (id BIGINT PRIMARY KEY, name VARCHAR(100), price_cents BIGINT,"
              + " stock INT)");
      statement.execute("CREATE TABLE warehouse (id BIGINT PRIMARY KEY, name VARCHAR(100))");
      statement.execute(
          "CREATE TABLE cards (number VARCHAR(32) PRIMARY KEY, holder VARCHAR(100), blocked"
              + " BOOLEAN)");
      statement.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT, placed_at TIMESTAMP)");
      statement.execute(
          "CREATE TABLE order_items (id BIGINT PRIMARY KEY, order_id BIGINT, product_id BIGINT,"
              + " quantity INT)");
      // A stored function that takes its time: the "slow query" of the inventory report.
      statement.execute(
          "CREATE ALIAS STOCK_VALUATION FOR \"dev.traceinsights.demo.backend.StockValuation.compute\"");
      for (int i = 1; i <= 20; i++) {
        statement.execute(
            "INSERT INTO products VALUES ("
                + i
                + ", 'product-"
                + i
                + "', "
                + (i * 199)
                + ", "
                + (i * 3 % 17)
                + ")");
      }
      statement.execute("INSERT INTO warehouse VALUES (1, 'main')");
      statement.execute("INSERT INTO cards VALUES ('4242-4242-4242-4242', 'Ada', TRUE)");
      long itemId = 1;
      for (int order = 1; order <= ORDERS_PER_CUSTOMER; order++) {
        statement.execute(
            "INSERT INTO orders VALUES ("
                + order
                + ", 7, TIMESTAMP '2026-01-01 10:00:00' + "
                + order
                + " * INTERVAL '1' HOUR)");
        for (int item = 0; item < 3; item++) {
          statement.execute(
              "INSERT INTO order_items VALUES ("
                  + itemId++
                  + ", "
                  + order
                  + ", "
                  + (1 + (order + item) % 20)
                  + ", "
                  + (1 + item)
                  + ")");
        }
      }
    }
    return database;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "sa", "");
  }
}
