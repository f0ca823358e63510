package dev.traceinsights.harness;

import static org.awaitility.Awaitility.await;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The demo: starts a Zipkin server and the two demo services under the javaagent with the Trace
 * Insights extension, and the collector with a second Zipkin behind it; drives every {@link
 * Scenario}, and prints what the analysis found in each service and in the whole traces, read back
 * from the two Zipkins' APIs.
 *
 * <pre>
 * java -jar integration-tests/target/trace-insights-demo.jar [--requests N] [--interval SECONDS]
 *     [--project-root DIR]
 * </pre>
 *
 * <p>Without {@code --requests} it sends a round of traffic every few seconds until Ctrl-C, which
 * stops everything it started. With {@code --requests N} it sends N rounds, prints the summary and
 * exits, leaving nothing running.
 */
public final class DemoLauncher {

  private static final Duration LOOKBACK = Duration.ofHours(1);
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);
  private static final int SUMMARY_EVERY_ROUNDS = 20;

  private final PrintStream out;
  private final Artifacts artifacts;
  private final Path workDir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private ZipkinApi zipkinApi;
  private URI zipkinUi;
  private ZipkinApi wholeTraceApi;
  private URI wholeTraceUi;
  private DemoServices services;
  private ShopClient shop;

  private DemoLauncher(PrintStream out, Path projectRoot) {
    this.out = out;
    this.artifacts = Artifacts.inProject(projectRoot);
    this.workDir = projectRoot.resolve("integration-tests/target/demo").toAbsolutePath();
  }

  public static void main(String[] args) throws InterruptedException {
    Integer requests = null;
    long intervalSeconds = 3;
    Path projectRoot = Path.of(".");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--requests" -> requests = (int) number(value(args, ++i, "--requests"), "--requests");
        case "--interval" -> intervalSeconds = number(value(args, ++i, "--interval"), "--interval");
        case "--project-root" -> projectRoot = Path.of(value(args, ++i, "--project-root"));
        case "-h", "--help" -> {
          System.out.println(
              "usage: demo [--requests N] [--interval SECONDS] [--project-root DIR]\n"
                  + "  --requests N   send N rounds of traffic (every scenario once per round),\n"
                  + "                 print the summary, stop everything and exit\n"
                  + "  (default)      send a round every --interval seconds (default 3) until"
                  + " Ctrl-C");
          return;
        }
        default -> {
          System.err.println("unknown option " + args[i] + " (try --help)");
          System.exit(2);
        }
      }
    }
    if ((requests != null && requests < 1) || intervalSeconds < 1) {
      System.err.println("--requests and --interval must be at least 1");
      System.exit(2);
    }

    DemoLauncher demo = new DemoLauncher(System.out, projectRoot);
    // Ctrl-C (or any exit) stops what the demo started; stop() runs once whoever calls it first.
    Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-shutdown"));
    try {
      demo.start();
      if (requests != null) {
        demo.runRounds(requests);
        demo.printSummary(requests);
      } else {
        demo.runUntilInterrupted(intervalSeconds);
      }
    } catch (RuntimeException e) {
      if (!demo.stopped.get()) {
        System.err.println("demo failed: " + e.getMessage());
        System.exit(1);
      }
    }
    demo.stop();
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      System.err.println(option + " needs a value");
      System.exit(2);
    }
    return args[index];
  }

  private static long number(String value, String option) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      System.err.println(option + " needs a whole number, got: " + value);
      System.exit(2);
      return 0;
    }
  }

  private void start() {
    out.println("Starting Zipkin (logs in " + workDir + ") ...");
    ZipkinServer zipkin = ZipkinServer.start(artifacts.zipkinServerJar(), workDir);
    started.add(zipkin);
    zipkinApi = new ZipkinApi(zipkin.zipkinApi());
    zipkinUi = zipkin.ui();
    out.println("Starting a second Zipkin and the collector, for whole traces across services ...");
    ZipkinServer wholeZipkin =
        ZipkinServer.start(artifacts.zipkinServerJar(), workDir.resolve("whole-traces"));
    started.add(wholeZipkin);
    CollectorProcess collector =
        CollectorProcess.start(
            artifacts.collectorJar(),
            workDir.resolve("collector"),
            Map.of(
                "exporters.zipkin.endpoint", wholeZipkin.spansEndpoint().toString(),
                // Every trace, so that both summaries count the same requests.
                "processors.traceinsights.tail.enabled", "false",
                "processors.traceinsights.decision.quiet_period", "500ms"),
            wholeZipkin.zipkinApi());
    started.add(collector);
    wholeTraceApi = new ZipkinApi(wholeZipkin.zipkinApi());
    wholeTraceUi = wholeZipkin.ui();
    out.println("Starting the demo services under the javaagent with the extension ...");
    DemoServices.Builder builder =
        DemoServices.builder(artifacts, zipkin).namePrefix("shop").workDir(workDir);
    // Each service exports twice: to Zipkin as analysed in process, and to the collector.
    builder.systemProperty("otel.traces.exporter", "zipkin,otlp");
    collector.exporterProperties().entrySet().stream()
        .filter(e -> !e.getKey().equals("otel.traces.exporter"))
        .forEach(e -> builder.systemProperty(e.getKey(), e.getValue()));
    services = builder.start();
    started.add(services);
    shop = new ShopClient(services.frontend());
    out.println("  frontend: " + services.frontend() + "  (scenarios: " + paths() + ")");
    out.println("  Zipkin UI, as analysed in each service: " + zipkin.ui());
    out.println("  Zipkin UI, whole traces from the collector: " + wholeZipkin.ui());
  }

  private static String paths() {
    List<String> paths = new ArrayList<>();
    for (Scenario scenario : Scenario.values()) {
      paths.add("/" + scenario.path());
    }
    return String.join(", ", paths);
  }

  private void runRounds(int rounds) {
    for (int round = 1; round <= rounds; round++) {
      runRound(round);
    }
  }

  private void runRound(int round) {
    StringBuilder line = new StringBuilder("round " + round + ":");
    for (Scenario scenario : Scenario.values()) {
      if (stopped.get()) {
        return;
      }
      ShopClient.Call call = shop.call(scenario);
      line.append(' ')
          .append(scenario.name().toLowerCase(java.util.Locale.ROOT))
          .append('=')
          .append(call.status());
    }
    out.println(line);
  }

  private void runUntilInterrupted(long intervalSeconds) throws InterruptedException {
    CountDownLatch forever = new CountDownLatch(1);
    ScheduledExecutorService traffic =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "demo-traffic");
              thread.setDaemon(true);
              return thread;
            });
    // Closed first: the round in flight finishes (bounded) before the services stop.
    started.add(
        () -> {
          traffic.shutdown();
          traffic.awaitTermination(30, TimeUnit.SECONDS);
        });
    AtomicInteger rounds = new AtomicInteger();
    traffic.scheduleWithFixedDelay(
        () -> {
          try {
            int round = rounds.incrementAndGet();
            runRound(round);
            if (round == 1 || round % SUMMARY_EVERY_ROUNDS == 0) {
              printSummary(round);
              out.println("The enriched traces are in the Zipkin UI: " + zipkinUi);
              out.println("The whole traces, enriched by the collector: " + wholeTraceUi);
              out.println("(Ctrl-C stops the demo and everything it started)");
            }
          } catch (RuntimeException e) {
            if (!stopped.get()) {
              out.println("round failed: " + e.getMessage());
            }
          }
        },
        0,
        intervalSeconds,
        TimeUnit.SECONDS);
    forever.await(); // until Ctrl-C: the shutdown hook stops everything
  }

  /**
   * Waits (bounded) until the traffic sent so far is in both Zipkins, then prints both summaries:
   * what each service found in its own part, and what the collector found in the whole traces.
   */
  private void printSummary(int rounds) {
    out.println();
    out.println("In process: each service analyses its own part of the trace");
    printSummary(rounds, zipkinApi);
    out.println("Whole traces: the collector analyses both services' spans together");
    printSummary(rounds, wholeTraceApi);
  }

  private void printSummary(int rounds, ZipkinApi api) {
    int expected = rounds * Scenario.values().length;
    List<ZipkinTrace> traces;
    try {
      traces =
          await("traces of " + expected + " requests in Zipkin")
              .atMost(EXPORT_TIMEOUT)
              .pollInterval(Duration.ofMillis(500))
              .failFast("the demo is stopping", stopped::get)
              .until(() -> scenarioTraces(api), found -> completeTraces(found) >= expected);
    } catch (ConditionTimeoutException e) {
      traces = scenarioTraces(api);
      out.println(
          "(only "
              + completeTraces(traces)
              + " of "
              + expected
              + " requests' traces reached"
              + " Zipkin in "
              + EXPORT_TIMEOUT.toSeconds()
              + " s; summarising those)");
    }
    out.print(InsightSummary.of(traces).render());
    out.println();
  }

  /** Recent traces that went through the frontend, without the health checks. */
  private List<ZipkinTrace> scenarioTraces(ZipkinApi api) {
    return api.traces(services.frontendServiceName(), LOOKBACK, 10_000).stream()
        .filter(
            trace ->
                trace.spans().stream()
                    .anyMatch(span -> !"/health".equals(span.tag("http.route").orElse(""))))
        .toList();
  }

  private int completeTraces(List<ZipkinTrace> traces) {
    return (int)
        traces.stream()
            .filter(
                trace ->
                    trace.localRoot(services.frontendServiceName()).isPresent()
                        && trace.localRoot(services.backendServiceName()).isPresent())
            .count();
  }

  /** Stops everything started, newest first; safe to call twice (main and the shutdown hook). */
  private void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    out.println("Stopping the demo services, the collector and Zipkin ...");
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        out.println("  could not stop " + started.get(i) + ": " + e.getMessage());
      }
    }
    out.println("Stopped.");
  }
}
