package dev.traceinsights.demo.backend;

/**
 * Body of the H2 function {@code STOCK_VALUATION}: deliberately slow, like a heavy report query.
 */
public final class StockValuation {

  /** Milliseconds the valuation query takes: by far the longest step of its request. */
  public static final int DELAY_MILLIS = 300;

  /** Called by H2 for {@code SELECT STOCK_VALUATION(?) ...}. */
  public static long compute(int delayMillis) throws InterruptedException {
    Thread.sleep(delayMillis);
    return delayMillis;
  }

  private StockValuation() {}
}
