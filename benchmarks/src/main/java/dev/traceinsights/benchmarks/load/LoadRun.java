package dev.traceinsights.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end comparison: the demo services (frontend calling backend over HTTP, the backend
 * querying H2) under a fixed-rate load, in three configurations alternated within one run — no
 * agent, the OpenTelemetry javaagent, the javaagent with the Trace Insights extension — over
 * several repetitions, each repetition in a rotated order so that drift on a shared machine spreads
 * over all three.
 *
 * <p>Per configuration and repetition: both services are started one after the other (start-up =
 * process creation to first 200 on {@code /health}), warmed up with saturating load, left until its
 * exports have stopped ({@link ExportsSettled}), then measured under a fixed request rate (open
 * loop; latency from each request's due time; CPU time and allocated bytes of both JVMs per
 * request), then under saturating load (maximum throughput). The agent exports OTLP/HTTP to a
 * receiver in this process that accepts and discards. With {@code --profile}, both agent
 * configurations record JFR execution samples during the fixed-rate phase, and {@code profile.md}
 * breaks their CPU down by Trace Insights component ({@link ProfileReport}); {@code
 * --profile-settings FILE.jfc} records with other settings than the JDK's {@code profile}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.traceinsights.benchmarks.load.LoadRun \
 *     [--project-root .] [--repetitions 5] [--rate 100] [--warmup 180] [--duration 30]
 *     [--saturation 10] [--connections 8] [--path /shop/orders] [--out DIR] [--quick] [--profile]
 *     [--profile-settings FILE.jfc]
 *     [--extension-property traceinsights.KEY=VALUE ...] [--jvm-option -XX:... ...] [--compilations]
 * </pre>
 */
public final class LoadRun {

  private final Options options;
  private final OtlpReceiver receiver;
  private final ServiceProcess.Setup setup;

  private LoadRun(Options options, OtlpReceiver receiver) {
    this.options = options;
    this.receiver = receiver;
    Path root = options.projectRoot.toAbsolutePath().normalize();
    this.setup =
        new ServiceProcess.Setup(
            options.java,
            require(root.resolve("demo-app/target/trace-insights-demo-app.jar")),
            require(root.resolve("backends/target/opentelemetry-javaagent.jar")),
            require(root.resolve("otel-extension/target/trace-insights-extension.jar")),
            options.extensionProperties,
            receiver.tracesEndpoint(),
            options.out.resolve("logs"),
            jvmOptions(options));
  }

  /**
   * The same for all three. -Xshare:off: the agent makes CDS warn otherwise. nodelay: the JDK's
   * HttpServer otherwise writes headers and body as two segments, and Nagle's algorithm against the
   * client's delayed ACK holds most responses for 40 ms. Then the user's --jvm-option values (for
   * example -XX:+PrintCompilation, whose output lands in the services' logs).
   */
  private static List<String> jvmOptions(Options options) {
    List<String> all =
        new ArrayList<>(List.of("-Xshare:off", "-Xmx256m", "-Dsun.net.httpserver.nodelay=true"));
    all.addAll(options.jvmOptions);
    return List.copyOf(all);
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Files.createDirectories(options.out);
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      new LoadRun(options, receiver).run();
    }
  }

  private void run() throws Exception {
    List<RunResult> results = new ArrayList<>();
    Instant started = Instant.now();
    Configuration[] all = Configuration.values();
    for (int repetition = 1; repetition <= options.repetitions; repetition++) {
      for (int position = 1; position <= all.length; position++) {
        Configuration configuration = all[(repetition - 1 + position - 1) % all.length];
        RunResult result = runOnce(configuration, repetition, position);
        results.add(result);
        System.out.printf(
            Locale.ROOT,
            "rep %d %-18s start-up %5.0f ms  p50 %6.2f ms  p99 %6.2f ms  CPU/req %.3f ms"
                + " (JIT %.3f)  alloc/req %5.0f KiB  max %5.0f req/s  exports %d (with insights"
                + " %d)%n",
            repetition,
            configuration.label(),
            result.startupMillis(),
            result.latencyP50Micros() / 1000.0,
            result.latencyP99Micros() / 1000.0,
            result.cpuMicrosPerRequest() / 1000.0,
            result.compilationMicrosPerRequest() / 1000.0,
            result.allocatedBytesPerRequest() / 1024,
            result.saturationThroughput(),
            result.exportRequests(),
            result.exportsWithInsights());
        write(results, started);
      }
    }
    if (options.profile) {
      String breakdown = ProfileReport.render(options.out.resolve("profile"), results);
      Files.writeString(options.out.resolve("profile.md"), breakdown);
    }
    if (options.compilations) {
      Files.writeString(
          options.out.resolve("compilations.md"),
          CompilationReport.render(options.out.resolve("jit")));
    }
    System.out.println();
    System.out.println(Files.readString(options.out.resolve("load.md")));
    if (options.profile) {
      System.out.println(Files.readString(options.out.resolve("profile.md")));
    }
    if (options.compilations) {
      System.out.println(Files.readString(options.out.resolve("compilations.md")));
    }
  }

  private RunResult runOnce(Configuration configuration, int repetition, int position)
      throws Exception {
    int backendPort = freePort();
    int frontendPort = freePort();
    try (ServiceProcess backend =
            ServiceProcess.start(
                setup,
                configuration,
                "backend",
                backendPort,
                List.of(),
                compilationRecording(configuration, repetition, "backend"));
        ServiceProcess frontend =
            ServiceProcess.start(
                setup,
                configuration,
                "frontend",
                frontendPort,
                List.of("--backend=http://127.0.0.1:" + backendPort + "/"),
                compilationRecording(configuration, repetition, "frontend"))) {
      backend.attach();
      frontend.attach();
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      URI uri = frontend.base().resolve(options.path.substring(1));
      Duration timeout = Duration.ofSeconds(10);
      new ClosedLoopLoad(client, uri, timeout).run(options.connections, options.warmup);
      ExportsSettled.Outcome settled = ExportsSettled.await(receiver::spans);
      System.out.printf(
          Locale.ROOT,
          "rep %d %-18s exports %s %.1f s after the warm-up%n",
          repetition,
          configuration.label(),
          settled.settled() ? "settled" : "still moving",
          settled.waited().toMillis() / 1000.0);

      ServiceProcess.Resources backendBefore = backend.resources();
      ServiceProcess.Resources frontendBefore = frontend.resources();
      long exportsBefore = receiver.requests();
      long bytesBefore = receiver.bytes();
      long spansBefore = receiver.spans();
      long insightsBefore = receiver.requestsWithInsights();
      boolean profile = options.profile && configuration != Configuration.NO_AGENT;
      if (profile) {
        backend.startRecording(options.profileSettings);
        frontend.startRecording(options.profileSettings);
      }
      OpenLoopLoad.Outcome fixed =
          new OpenLoopLoad(client, uri, timeout).run(options.rate, options.duration);
      if (profile) {
        backend.stopRecording(recording(configuration, repetition, "backend"));
        frontend.stopRecording(recording(configuration, repetition, "frontend"));
      }
      ServiceProcess.Resources backendAfter = backend.resources();
      ServiceProcess.Resources frontendAfter = frontend.resources();
      long exports = receiver.requests() - exportsBefore;
      long exportedBytes = receiver.bytes() - bytesBefore;
      long exportedSpans = receiver.spans() - spansBefore;
      long withInsights = receiver.requestsWithInsights() - insightsBefore;

      ClosedLoopLoad.Outcome saturation =
          new ClosedLoopLoad(client, uri, timeout).run(options.connections, options.saturation);

      double requests = Math.max(1, fixed.completed());
      long cpu =
          (backendAfter.cpuNanos() - backendBefore.cpuNanos())
              + (frontendAfter.cpuNanos() - frontendBefore.cpuNanos());
      long allocated =
          (backendAfter.allocatedBytes() - backendBefore.allocatedBytes())
              + (frontendAfter.allocatedBytes() - frontendBefore.allocatedBytes());
      long compilationMillis =
          (backendAfter.compilationMillis() - backendBefore.compilationMillis())
              + (frontendAfter.compilationMillis() - frontendBefore.compilationMillis());
      Histogram latency = fixed.latencyMicros();
      return new RunResult(
          configuration,
          repetition,
          position,
          (backend.startupNanos() + frontend.startupNanos()) / 1e6,
          backend.startupNanos() / 1e6,
          frontend.startupNanos() / 1e6,
          options.rate,
          fixed.scheduled(),
          fixed.completed(),
          fixed.errors(),
          fixed.throughput(),
          latency.getValueAtPercentile(50),
          latency.getValueAtPercentile(90),
          latency.getValueAtPercentile(99),
          latency.getValueAtPercentile(99.9),
          latency.getMaxValue(),
          cpu / 1000.0 / requests,
          allocated / requests,
          backendAfter.exactAllocation() && frontendAfter.exactAllocation(),
          backendBefore.threadsEndedBy(backendAfter) + frontendBefore.threadsEndedBy(frontendAfter),
          exports,
          exportedBytes / requests,
          exportedSpans / requests,
          withInsights,
          saturation.throughput(),
          saturation.errors(),
          saturation.p50Micros(),
          saturation.p99Micros(),
          compilationMillis * 1000.0 / requests,
          threadCpuMicrosPerRequest(
              requests, backendBefore, backendAfter, frontendBefore, frontendAfter));
    }
  }

  private static Map<String, Double> threadCpuMicrosPerRequest(
      double requests, ServiceProcess.Resources... beforeAfterPairs) {
    Map<String, Double> perRequest = new LinkedHashMap<>();
    for (int i = 0; i + 1 < beforeAfterPairs.length; i += 2) {
      ThreadCpu.difference(
              beforeAfterPairs[i].threadCpuNanos(), beforeAfterPairs[i + 1].threadCpuNanos())
          .forEach(
              (group, nanos) -> perRequest.merge(group, nanos / 1000.0 / requests, Double::sum));
    }
    return perRequest;
  }

  /** With --compilations, the JVM option that records every JIT compilation of one service. */
  private List<String> compilationRecording(
      Configuration configuration, int repetition, String role) throws IOException {
    if (!options.compilations) {
      return List.of();
    }
    Path directory = options.out.resolve("jit");
    Files.createDirectories(directory);
    Path settings = directory.resolve("compilations.jfc");
    if (!Files.exists(settings)) {
      Files.writeString(settings, CompilationReport.SETTINGS);
    }
    String file =
        configuration.name().toLowerCase(Locale.ROOT) + "-rep" + repetition + "-" + role + ".jfr";
    return List.of(CompilationReport.jvmOption(settings, directory.resolve(file)));
  }

  /** Where the JFR recording of one service in one run goes. */
  private Path recording(Configuration configuration, int repetition, String role) {
    return options
        .out
        .resolve("profile")
        .resolve(
            configuration.name().toLowerCase(Locale.ROOT)
                + "-rep"
                + repetition
                + "-"
                + role
                + ".jfr");
  }

  private void write(List<RunResult> results, Instant started) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("started", started.toString());
    json.put("options", options.describe());
    json.put("java", setup.java().toString());
    json.put("jvmOptions", setup.jvmOptions());
    json.put("runs", results);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(options.out.resolve("load.json").toFile(), json);
    String header =
        LoadReport.header(
            started.toString(),
            options.describe(),
            setup.java() + " " + String.join(" ", setup.jvmOptions()));
    Files.writeString(options.out.resolve("load.md"), LoadReport.render(results, header));
  }

  private static Path require(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path
              + " is missing: build it first (mvn -B -ntp -pl benchmarks -am package -DskipTests)");
    }
    return path;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Command-line options. */
  static final class Options {
    Path projectRoot = Path.of(".");
    Path out = Path.of("benchmarks/target/load");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    int repetitions = 5;
    // Well below what every configuration sustains on two cores (about 300-450 requests/s for
    // the agent on this project's machine in 2026-12), so that latency is not queueing.
    double rate = 100;
    // Long enough for C2 to finish: with the extension it compiled for about 150 s after start on
    // this project's two-core machine (the agent alone about 90 s); a shorter warm-up measures
    // the compiler's queue rather than the steady state.
    Duration warmup = Duration.ofSeconds(180);
    Duration duration = Duration.ofSeconds(30);
    Duration saturation = Duration.ofSeconds(10);
    int connections = 8;
    String path = "/shop/orders";
    boolean profile;
    // JFR's settings for --profile: "profile", or a .jfc file (e.g. more allocation samples).
    String profileSettings = "profile";
    boolean compilations;
    final List<String> extensionProperties = new ArrayList<>();
    final List<String> jvmOptions = new ArrayList<>();

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--project-root" -> options.projectRoot = Path.of(value(args, ++i, arg));
          case "--out" -> options.out = Path.of(value(args, ++i, arg));
          case "--java" -> options.java = Path.of(value(args, ++i, arg));
          case "--repetitions" -> options.repetitions = positive(value(args, ++i, arg), arg);
          case "--rate" -> options.rate = positive(value(args, ++i, arg), arg);
          case "--warmup" -> options.warmup = seconds(value(args, ++i, arg), arg);
          case "--duration" -> options.duration = seconds(value(args, ++i, arg), arg);
          case "--saturation" -> options.saturation = seconds(value(args, ++i, arg), arg);
          case "--connections" -> options.connections = positive(value(args, ++i, arg), arg);
          case "--path" -> options.path = value(args, ++i, arg);
          case "--profile" -> options.profile = true;
          case "--profile-settings" -> {
            options.profile = true;
            options.profileSettings = value(args, ++i, arg);
          }
          case "--compilations" -> options.compilations = true;
          case "--extension-property" -> {
            String property = value(args, ++i, arg);
            if (!property.startsWith("traceinsights.") || !property.contains("=")) {
              throw new IllegalArgumentException(arg + " takes traceinsights.KEY=VALUE");
            }
            options.extensionProperties.add(property);
          }
          case "--jvm-option" -> {
            String option = value(args, ++i, arg);
            if (!option.startsWith("-")) {
              throw new IllegalArgumentException(arg + " takes a JVM option such as -XX:+Flag");
            }
            options.jvmOptions.add(option);
          }
          case "--quick" -> {
            options.repetitions = 1;
            options.warmup = Duration.ofSeconds(3);
            options.duration = Duration.ofSeconds(5);
            options.saturation = Duration.ofSeconds(3);
          }
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (!options.path.startsWith("/")) {
        throw new IllegalArgumentException("--path must start with /");
      }
      return options;
    }

    String describe() {
      return String.format(
              Locale.ROOT,
              "repetitions=%d rate=%.0f/s warmup=%ds duration=%ds saturation=%ds connections=%d",
              repetitions,
              rate,
              warmup.toSeconds(),
              duration.toSeconds(),
              saturation.toSeconds(),
              connections)
          // What the user wrote stays out of the format: it may hold a '%'.
          + " path="
          + path
          + (profile ? " profile=jfr(" + profileSettings + ")" : "")
          + (compilations ? " compilations=jfr" : "")
          + (extensionProperties.isEmpty()
              ? ""
              : " extension: -D" + String.join(" -D", extensionProperties))
          + (jvmOptions.isEmpty() ? "" : " jvm: " + String.join(" ", jvmOptions));
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }

    private static int positive(String text, String option) {
      int value = Integer.parseInt(text);
      if (value < 1) {
        throw new IllegalArgumentException(option + " must be at least 1");
      }
      return value;
    }

    private static Duration seconds(String text, String option) {
      return Duration.ofSeconds(positive(text, option));
    }
  }
}
