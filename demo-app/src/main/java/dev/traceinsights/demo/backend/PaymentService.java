package dev.traceinsights.demo.backend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Scenario "error a few calls deep": {@code charge} looks the card up, then asks the {@link
 * CardValidator}, which throws. Both methods are traced through the agent's {@code
 * otel.instrumentation.methods.include}.
 */
public class PaymentService {

  private final Database database;
  private final CardValidator validator;

  PaymentService(Database database, CardValidator validator) {
    this.database = database;
    this.validator = validator;
  }

  public String charge(String cardNumber, long amountCents) throws SQLException {
    boolean blocked;
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement("SELECT blocked FROM cards WHERE number = ?")) {
      statement.setString(1, cardNumber);
      try (ResultSet result = statement.executeQuery()) {
        blocked = result.next() && result.getBoolean(1);
      }
    }
    validator.validate(cardNumber, blocked);
    return "charged " + amountCents + " to " + cardNumber;
  }
}
