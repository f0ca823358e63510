package dev.traceinsights.harness;

/**
 * The demo's scenarios: one frontend endpoint each (the paths of demo-app's {@code
 * FrontendService}), calling one backend endpoint.
 */
public enum Scenario {
  /** Two fast queries and one ~300 ms query: that JDBC span is the bottleneck. */
  SLOW_QUERY("shop/inventory-report", 200),
  /** {@code CardValidator.validate} throws a few calls deep; the backend answers 500. */
  ERROR("shop/checkout", 502),
  /** One query for the orders, then the same item query once per order (10 orders). */
  N_PLUS_ONE("shop/orders", 200),
  /** {@code ReportExporter.render} allocates {@link #ALLOCATED_BYTES} bytes. */
  ALLOCATION("shop/export", 200),
  /**
   * One {@code CustomerRepository.countOrders} span per customer (12), each with its one query: the
   * N+1 behind a repository.
   */
  REPOSITORY_N_PLUS_ONE("shop/customers", 200);

  /** What {@code ReportExporter.render} in the demo app allocates, at least: 16 MiB. */
  public static final long ALLOCATED_BYTES = 16L * 1024 * 1024;

  /** How many orders the N+1 scenario loads, hence how often the item query repeats. */
  public static final int N_PLUS_ONE_REPETITIONS = 10;

  /** How many customers the repository scenario loops over, one repository call each. */
  public static final int REPOSITORY_REPETITIONS = 12;

  private final String path;
  private final int expectedStatus;

  Scenario(String path, int expectedStatus) {
    this.path = path;
    this.expectedStatus = expectedStatus;
  }

  /** Path under the frontend's base URI, without a leading slash. */
  public String path() {
    return path;
  }

  /** The status the frontend answers when the demo works as designed. */
  public int expectedStatus() {
    return expectedStatus;
  }
}
