package dev.traceinsights.benchmarks.load;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One demo service JVM in one {@link Configuration}: started, timed until its first successful HTTP
 * response, then observed through JMX (the JDK's local management agent, started through the Attach
 * API only after start-up was timed, so it never counts in start-up time) for its CPU time and
 * allocated bytes.
 */
final class ServiceProcess implements AutoCloseable {

  /** Methods the agent traces in the backend, as in the demo (DemoServices.TRACED_METHODS). */
  static final String TRACED_METHODS =
      "dev.traceinsights.demo.backend.PaymentService[charge];"
          + "dev.traceinsights.demo.backend.CardValidator[validate];"
          + "dev.traceinsights.demo.backend.OrderRepository[findRecentOrdersWithItems];"
          + "dev.traceinsights.demo.backend.CustomerRepository[countOrders];"
          + "dev.traceinsights.demo.backend.ReportExporter[render]";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final ObjectName THREADING = objectName("java.lang:type=Threading");
  private static final ObjectName OPERATING_SYSTEM = objectName("java.lang:type=OperatingSystem");
  private static final ObjectName COMPILATION = objectName("java.lang:type=Compilation");
  private static final ObjectName DIAGNOSTIC_COMMAND =
      objectName("com.sun.management:type=DiagnosticCommand");
  private static final String RECORDING = "traceinsights-load";

  private final String name;
  private final Process process;
  private final URI base;
  private final long startupNanos;
  @Nullable private JMXConnector jmx;
  @Nullable private MBeanServerConnection mbeans;

  private ServiceProcess(String name, Process process, URI base, long startupNanos) {
    this.name = name;
    this.process = process;
    this.base = base;
    this.startupNanos = startupNanos;
  }

  /** What the three configurations share and where the programs are. */
  record Setup(
      Path java,
      Path demoJar,
      Path agentJar,
      Path extensionJar,
      List<String> extensionProperties,
      URI otlpTracesEndpoint,
      Path logDir,
      List<String> jvmOptions) {}

  /**
   * Starts {@code role} ("backend" or "frontend" with its arguments) and returns once it answered
   * 200 on {@code /health}; start-up time runs from just before the process is created.
   */
  static ServiceProcess start(
      Setup setup,
      Configuration configuration,
      String role,
      int port,
      List<String> arguments,
      List<String> moreJvmOptions)
      throws InterruptedException {
    String name = "shop-" + role;
    List<String> command = new ArrayList<>();
    command.add(setup.java().toString());
    command.addAll(setup.jvmOptions());
    command.addAll(moreJvmOptions);
    if (configuration != Configuration.NO_AGENT) {
      command.add("-javaagent:" + setup.agentJar().toAbsolutePath());
      if (configuration == Configuration.AGENT_EXTENSION) {
        command.add("-Dotel.javaagent.extensions=" + setup.extensionJar().toAbsolutePath());
        setup.extensionProperties().forEach(property -> command.add("-D" + property));
      }
      command.add("-Dotel.service.name=" + name);
      command.add("-Dotel.traces.exporter=otlp");
      command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
      command.add("-Dotel.exporter.otlp.traces.endpoint=" + setup.otlpTracesEndpoint());
      command.add("-Dotel.metrics.exporter=none");
      command.add("-Dotel.logs.exporter=none");
      command.add("-Dotel.instrumentation.methods.include=" + TRACED_METHODS);
      // The JMX readings travel over RMI: keep them out of the traces.
      command.add("-Dotel.instrumentation.rmi.enabled=false");
    }
    command.add("-jar");
    command.add(setup.demoJar().toAbsolutePath().toString());
    command.add(role);
    command.add("--port=" + port);
    command.addAll(arguments);

    Path log = setup.logDir().resolve(name + "-" + configuration.name().toLowerCase() + ".log");
    URI base = URI.create("http://127.0.0.1:" + port + "/");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    try {
      Files.createDirectories(setup.logDir());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      long started = System.nanoTime();
      Process process = builder.start();
      long deadline = started + STARTUP_TIMEOUT.toNanos();
      while (!answersOk(http, base.resolve("health"))) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              name + " exited with " + process.exitValue() + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException(name + " did not answer within " + STARTUP_TIMEOUT);
        }
        Thread.sleep(5);
      }
      return new ServiceProcess(name, process, base, System.nanoTime() - started);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  private static boolean answersOk(HttpClient http, URI uri) throws InterruptedException {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  URI base() {
    return base;
  }

  /** From just before the process was created to its first 200 on {@code /health}. */
  long startupNanos() {
    return startupNanos;
  }

  /** Connects to the JVM's management agent (starting it through the Attach API). */
  void attach() throws IOException {
    try {
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
      mbeans = jmx.getMBeanServerConnection();
    } catch (com.sun.tools.attach.AttachNotSupportedException e) {
      throw new IOException("cannot attach to " + name, e);
    }
  }

  /** CPU time and allocated bytes of the whole JVM at this moment. */
  Resources resources() throws IOException {
    if (mbeans == null) {
      throw new IllegalStateException("attach() first");
    }
    try {
      long cpu = (Long) mbeans.getAttribute(OPERATING_SYSTEM, "ProcessCpuTime");
      long compilationMillis = (Long) mbeans.getAttribute(COMPILATION, "TotalCompilationTime");
      try {
        // JDK 21+: every thread's allocation since the JVM started, ended threads included.
        long total = (Long) mbeans.getAttribute(THREADING, "TotalThreadAllocatedBytes");
        return new Resources(
            cpu, compilationMillis, total, true, Set.of(), ThreadCpu.read(process.pid()));
      } catch (AttributeNotFoundException e) {
        // JDK 17: the sum over live threads; a thread that ends takes its count with it.
        long[] ids = (long[]) mbeans.getAttribute(THREADING, "AllThreadIds");
        long[] bytes =
            (long[])
                mbeans.invoke(
                    THREADING,
                    "getThreadAllocatedBytes",
                    new Object[] {ids},
                    new String[] {long[].class.getName()});
        long sum = Arrays.stream(bytes).filter(b -> b > 0).sum();
        Set<Long> live = new HashSet<>();
        Arrays.stream(ids).forEach(live::add);
        return new Resources(
            cpu, compilationMillis, sum, false, live, ThreadCpu.read(process.pid()));
      }
    } catch (JMException e) {
      throw new IOException("JMX reading of " + name + " failed", e);
    }
  }

  /**
   * Starts a JFR recording with {@code settings}: {@code profile} (the JDK's: execution samples
   * every 10 ms, 300 allocation samples a second) or the path of a {@code .jfc} file.
   */
  void startRecording(String settings) throws IOException {
    diagnosticCommand("jfrStart", "name=" + RECORDING, "settings=" + settings);
  }

  /** Stops the recording of {@link #startRecording()} and writes it to {@code file}. */
  void stopRecording(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    diagnosticCommand("jfrStop", "name=" + RECORDING, "filename=" + file.toAbsolutePath());
  }

  private void diagnosticCommand(String operation, String... arguments) throws IOException {
    if (mbeans == null) {
      throw new IllegalStateException("attach() first");
    }
    try {
      mbeans.invoke(
          DIAGNOSTIC_COMMAND,
          operation,
          new Object[] {arguments},
          new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IOException(operation + " on " + name + " failed", e);
    }
  }

  /**
   * A reading of a JVM's resources.
   *
   * @param compilationMillis the JIT compilers' accumulated time ({@code
   *     CompilationMXBean#getTotalCompilationTime}: elapsed time, not CPU time)
   * @param exactAllocation false when {@code allocatedBytes} sums live threads only
   * @param liveThreads the live threads' ids where that matters, else empty
   * @param threadCpuNanos CPU time by {@link ThreadCpu} group; empty without {@code /proc}
   */
  record Resources(
      long cpuNanos,
      long compilationMillis,
      long allocatedBytes,
      boolean exactAllocation,
      Set<Long> liveThreads,
      Map<String, Long> threadCpuNanos) {

    /** Threads alive at {@code this} reading and gone at {@code later}: their bytes are lost. */
    int threadsEndedBy(Resources later) {
      int ended = 0;
      for (Long id : liveThreads) {
        if (!later.liveThreads.contains(id)) {
          ended++;
        }
      }
      return ended;
    }
  }

  /** SIGTERM, then SIGKILL after a bounded wait; only this process and what it started. */
  @Override
  public void close() {
    if (jmx != null) {
      try {
        jmx.close();
      } catch (IOException e) {
        // the process is going away anyway
      }
    }
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static ObjectName objectName(String name) {
    try {
      return new ObjectName(name);
    } catch (JMException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  @Override
  public String toString() {
    return "ServiceProcess{" + name + ", pid=" + process.pid() + ", " + base + '}';
  }
}
