package dev.traceinsights.harness;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's two services (frontend and backend), each a JVM running the demo jar under the real
 * javaagent with the Trace Insights extension, exporting to a {@link TraceBackend}.
 */
public final class DemoServices implements AutoCloseable {

  /**
   * Methods the agent traces in the backend ({@code otel.instrumentation.methods.include}): the
   * error's call chain, the N+1 parent and the allocating step. jaeger-compose sets the same.
   */
  public static final String TRACED_METHODS =
      "dev.traceinsights.demo.backend.PaymentService[charge];"
          + "dev.traceinsights.demo.backend.CardValidator[validate];"
          + "dev.traceinsights.demo.backend.OrderRepository[findRecentOrdersWithItems];"
          + "dev.traceinsights.demo.backend.CustomerRepository[countOrders];"
          + "dev.traceinsights.demo.backend.ReportExporter[render]";

  // Instrumented JVMs take 5-8 s each here, more when two start at once on two cores.
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final ChildProcess backend;
  private final ChildProcess frontend;
  private final URI frontendUri;
  private final String backendServiceName;
  private final String frontendServiceName;

  private DemoServices(
      ChildProcess backend,
      ChildProcess frontend,
      URI frontendUri,
      String backendServiceName,
      String frontendServiceName) {
    this.backend = backend;
    this.frontend = frontend;
    this.frontendUri = frontendUri;
    this.backendServiceName = backendServiceName;
    this.frontendServiceName = frontendServiceName;
  }

  public static Builder builder(Artifacts artifacts, TraceBackend traceBackend) {
    return new Builder(artifacts, traceBackend);
  }

  /** Base URI of the frontend, which serves the {@link Scenario}s. */
  public URI frontend() {
    return frontendUri;
  }

  public String frontendServiceName() {
    return frontendServiceName;
  }

  public String backendServiceName() {
    return backendServiceName;
  }

  public ChildProcess frontendProcess() {
    return frontend;
  }

  public ChildProcess backendProcess() {
    return backend;
  }

  /** Stops both services; SIGTERM first, so the agent exports what it still holds. */
  @Override
  public void close() {
    try {
      frontend.close();
    } finally {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return "DemoServices{frontend=" + frontendUri + ", backend pid=" + backend.pid() + "}";
  }

  /** Configures and starts the two services. */
  public static final class Builder {
    private final Artifacts artifacts;
    private final TraceBackend traceBackend;
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> frontendProperties = new LinkedHashMap<>();
    private final Map<String, String> backendProperties = new LinkedHashMap<>();
    private Path java = ChildProcess.currentJava();
    private String namePrefix = "shop";
    private Path workDir = Path.of("target", "demo-services");

    private Builder(Artifacts artifacts, TraceBackend traceBackend) {
      this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
      this.traceBackend = Objects.requireNonNull(traceBackend, "traceBackend");
    }

    /** The java launcher to run the services with (default: this JVM's). */
    public Builder java(Path java) {
      this.java = Objects.requireNonNull(java, "java");
      return this;
    }

    /** Services are named {@code <prefix>-frontend} and {@code <prefix>-backend}. */
    public Builder namePrefix(String namePrefix) {
      this.namePrefix = Objects.requireNonNull(namePrefix, "namePrefix");
      return this;
    }

    /** Where the services run and write their logs. */
    public Builder workDir(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
      return this;
    }

    /** An extra {@code -Dkey=value} for both services (e.g. a {@code traceinsights.*} key). */
    public Builder systemProperty(String key, String value) {
      systemProperties.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** An extra {@code -Dkey=value} for the frontend only (e.g. a port of its own). */
    public Builder frontendSystemProperty(String key, String value) {
      frontendProperties.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** An extra {@code -Dkey=value} for the backend only. */
    public Builder backendSystemProperty(String key, String value) {
      backendProperties.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Starts the backend and the frontend side by side and waits until both answer. */
    public DemoServices start() {
      int backendPort = FreePort.pick();
      int frontendPort = FreePort.pick();
      String backendName = namePrefix + "-backend";
      String frontendName = namePrefix + "-frontend";
      URI backendUri = URI.create("http://127.0.0.1:" + backendPort + "/");
      URI frontendUri = URI.create("http://127.0.0.1:" + frontendPort + "/");

      ChildProcess backend =
          launch(backendName, backendProperties, List.of("backend", "--port=" + backendPort));
      ChildProcess frontend = null;
      try {
        frontend =
            launch(
                frontendName,
                frontendProperties,
                List.of("frontend", "--port=" + frontendPort, "--backend=" + backendUri));
        backend.awaitHttpOk(backendUri.resolve("health"), STARTUP_TIMEOUT);
        frontend.awaitHttpOk(frontendUri.resolve("health"), STARTUP_TIMEOUT);
      } catch (RuntimeException e) {
        if (frontend != null) {
          frontend.close();
        }
        backend.close();
        throw e;
      }
      return new DemoServices(backend, frontend, frontendUri, backendName, frontendName);
    }

    private ChildProcess launch(
        String serviceName, Map<String, String> ownProperties, List<String> arguments) {
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.add("-Xshare:off"); // the agent makes CDS print a warning otherwise
      command.add("-Xmx256m");
      command.add("-javaagent:" + Artifacts.require(artifacts.agentJar()).toAbsolutePath());
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put(
          "otel.javaagent.extensions",
          Artifacts.require(artifacts.extensionJar()).toAbsolutePath().toString());
      properties.put("otel.service.name", serviceName);
      properties.putAll(traceBackend.exporterProperties());
      properties.put("otel.metrics.exporter", "none");
      properties.put("otel.logs.exporter", "none");
      // Export soon after spans end: tests and the demo read them back within seconds.
      properties.put("otel.bsp.schedule.delay", "200");
      properties.put("otel.instrumentation.methods.include", TRACED_METHODS);
      properties.putAll(systemProperties);
      properties.putAll(ownProperties);
      properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("-jar");
      command.add(Artifacts.require(artifacts.demoAppJar()).toAbsolutePath().toString());
      command.addAll(arguments);
      Path dir = workDir.toAbsolutePath();
      return ChildProcess.start(
          serviceName, command, Map.of(), dir, dir.resolve(serviceName + ".log"));
    }
  }
}
