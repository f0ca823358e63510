package dev.traceinsights.demo.backend;

/** Throws for blocked cards: the root cause of the checkout scenario's failure. */
public class CardValidator {

  public void validate(String cardNumber, boolean blocked) {
    if (blocked) {
      throw new IllegalStateException("card " + cardNumber + " declined: card is blocked");
    }
  }
}
