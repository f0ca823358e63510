package dev.traceinsights.benchmarks.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import dev.traceinsights.benchmarks.memory.RetainedMemory;
import dev.traceinsights.benchmarks.report.Machine;
import dev.traceinsights.collector.assembly.BufferLimits;
import dev.traceinsights.collector.assembly.WholeTraceBuffer;
import dev.traceinsights.collector.config.HostPort;
import dev.traceinsights.collector.receiver.Admission;
import dev.traceinsights.collector.receiver.OtlpGrpcReceiver;
import dev.traceinsights.collector.receiver.OtlpProtoSpans;
import dev.traceinsights.collector.receiver.ReceiverCounters;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector under OTLP/gRPC load, as a process ({@code java -jar
 * trace-insights-collector.jar}), with a sink behind it in this JVM: the same fixed rate of whole
 * two-service traces sent to it as a plain pass-through ({@code
 * processors.traceinsights.enabled=false}) and with the whole-trace analysis (buffer, skew,
 * analysis, statistics, service graph, enrichment; tail decisions off so that both export every
 * span), alternating within each repetition. Figures are the collector process's CPU per span and
 * spans per CPU-second (per core), then an unpaced phase for throughput, and the heap the
 * whole-trace buffer retains per span.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.traceinsights.benchmarks.collector.CollectorLoad \
 *     --project-root . [--rate 20000] [--repetitions 3] [--warmup 20] [--duration 30] \
 *     [--saturation 15] [--out DIR] [--profile true]
 * </pre>
 */
public final class CollectorLoad {

  private static final int TRACES_PER_REQUEST = 50;
  private static final int SPANS_PER_TRACE = 10;
  private static final int SPANS_PER_REQUEST = TRACES_PER_REQUEST * SPANS_PER_TRACE;
  private static final int SENDERS = 2;

  private final Path jar;
  private final Path out;
  private final boolean profile;
  private final AtomicLong sunk = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  private CollectorLoad(Path jar, Path out, boolean profile) {
    this.jar = jar;
    this.out = out;
    this.profile = profile;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path root = Path.of(options.getOrDefault("project-root", "."));
    Path out = Path.of(options.getOrDefault("out", "benchmarks/target/collector-load"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "20000"));
    int repetitions = Integer.parseInt(options.getOrDefault("repetitions", "3"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "20"));
    int duration = Integer.parseInt(options.getOrDefault("duration", "30"));
    int saturation = Integer.parseInt(options.getOrDefault("saturation", "15"));
    Files.createDirectories(out);
    boolean profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
    new CollectorLoad(root.resolve("collector/target/trace-insights-collector.jar"), out, profile)
        .run(rate, repetitions, warmup, duration, saturation);
  }

  private void run(int rate, int repetitions, int warmup, int duration, int saturation)
      throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("machine", Machine.describe());
    report.put(
        "load",
        Map.of(
            "rate_spans_per_second", rate,
            "spans_per_trace", SPANS_PER_TRACE,
            "spans_per_request", SPANS_PER_REQUEST,
            "warmup_seconds", warmup,
            "duration_seconds", duration,
            "saturation_seconds", saturation));
    List<Map<String, Object>> runs = new ArrayList<>();
    ReceiverCounters counters = new ReceiverCounters();
    try (OtlpGrpcReceiver sink =
        OtlpGrpcReceiver.start(
            new HostPort("127.0.0.1", 0),
            64 << 20,
            spans -> {
              sunk.addAndGet(spans.size());
              return Admission.accept();
            },
            counters)) {
      for (int repetition = 1; repetition <= repetitions; repetition++) {
        for (boolean analysis : new boolean[] {false, true}) {
          Map<String, Object> result =
              measure(sink.port(), analysis, rate, warmup, duration, saturation);
          result.put("repetition", repetition);
          runs.add(result);
          System.out.println(result);
        }
      }
    }
    report.put("runs", runs);
    report.put("retained_bytes_per_buffered_span", retainedPerBufferedSpan(200_000));
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("collector-load.json").toFile(), report);
    Files.writeString(out.resolve("collector-load.md"), markdown(report, runs));
    System.out.println(Files.readString(out.resolve("collector-load.md")));
  }

  private Map<String, Object> measure(
      int sinkPort, boolean analysis, int rate, int warmup, int duration, int saturation)
      throws Exception {
    int grpc = freePort();
    int health = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    if (profile) {
      command.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + out.resolve((analysis ? "analysis" : "pass-through") + ".jfr").toAbsolutePath());
    }
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    for (String set :
        List.of(
            "receivers.otlp.grpc.endpoint=127.0.0.1:" + grpc,
            "receivers.otlp.grpc.max_recv_msg_size_mib=16",
            "receivers.otlp.http.endpoint=none",
            "service.telemetry.metrics.endpoint=none",
            "extensions.health_check.endpoint=127.0.0.1:" + health,
            "exporters.otlp.endpoint=http://127.0.0.1:" + sinkPort,
            "exporters.otlp.compression=none",
            "processors.traceinsights.enabled=" + analysis,
            "processors.traceinsights.tail.enabled=false",
            "processors.traceinsights.decision.quiet_period=500ms")) {
      command.add("--set=" + set);
    }
    Path log = out.resolve((analysis ? "analysis" : "pass-through") + ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      awaitHealthy(health);
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", grpc)
              .usePlaintext()
              .maxInboundMessageSize(16 << 20)
              .build();
      try {
        TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
        send(stub, rate, Duration.ofSeconds(warmup));
        long cpuBefore = cpuNanos(process);
        long sunkBefore = sunk.get();
        long start = System.nanoTime();
        long offered = send(stub, rate, Duration.ofSeconds(duration));
        long elapsed = System.nanoTime() - start;
        long cpu = cpuNanos(process) - cpuBefore;
        long delivered = sunk.get() - sunkBefore;
        long satBefore = sunk.get();
        long satStart = System.nanoTime();
        send(stub, 0, Duration.ofSeconds(saturation));
        double satSeconds = (System.nanoTime() - satStart) / 1e9;
        long satDelivered = sunk.get() - satBefore;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("configuration", analysis ? "analysis" : "pass-through");
        result.put("offered_spans", offered);
        result.put("delivered_spans", delivered);
        result.put("cpu_seconds", cpu / 1e9);
        result.put("cpu_us_per_span", delivered == 0 ? Double.NaN : cpu / 1e3 / delivered);
        result.put("spans_per_cpu_second", cpu == 0 ? Double.NaN : delivered / (cpu / 1e9));
        result.put("cores_used", cpu / (double) elapsed);
        result.put("saturation_spans_per_second", satDelivered / satSeconds);
        return result;
      } finally {
        channel.shutdownNow();
      }
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * Sends requests of whole traces at {@code rate} spans a second ({@code 0}: as fast as the
   * collector takes them) for {@code duration}; a refused request (back-off) is retried after the
   * delay the collector asks for. Returns the spans the collector took.
   */
  private long send(TraceServiceGrpc.TraceServiceBlockingStub stub, int rate, Duration duration)
      throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong taken = new AtomicLong();
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      Thread sender =
          new Thread(
              () -> {
                long interval = rate == 0 ? 0 : (long) (1e9 * SPANS_PER_REQUEST * SENDERS / rate);
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                  ExportTraceServiceRequest request = request();
                  try {
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS).export(request);
                    taken.addAndGet(SPANS_PER_REQUEST);
                  } catch (StatusRuntimeException e) {
                    // Refused for now: the run's load is above what the collector holds.
                  }
                  if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      try {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not synchronising
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }
                }
              },
              "sender-" + s);
      sender.start();
      senders.add(sender);
    }
    for (Thread sender : senders) {
      sender.join();
    }
    return taken.get();
  }

  /**
   * {@value #TRACES_PER_REQUEST} whole traces, each a frontend server span with two children and a
   * call to a backend whose server span has six children (queries and internal steps).
   */
  private ExportTraceServiceRequest request() {
    ScopeSpans.Builder frontend = ScopeSpans.newBuilder();
    ScopeSpans.Builder backend = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < TRACES_PER_REQUEST; t++) {
      long trace = ids.incrementAndGet();
      ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, trace).array());
      long base = trace << 4;
      frontend.addSpans(
          span(traceId, base + 1, 0, "GET /shop/orders", Span.SpanKind.SPAN_KIND_SERVER, now, 40));
      frontend.addSpans(
          span(
              traceId,
              base + 2,
              base + 1,
              "render",
              Span.SpanKind.SPAN_KIND_INTERNAL,
              now + 1_000_000,
              2));
      frontend.addSpans(
          span(
              traceId,
              base + 3,
              base + 1,
              "GET",
              Span.SpanKind.SPAN_KIND_CLIENT,
              now + 4_000_000,
              30));
      backend.addSpans(
          span(
              traceId,
              base + 4,
              base + 3,
              "GET /orders/recent",
              Span.SpanKind.SPAN_KIND_SERVER,
              now + 5_000_000,
              28));
      for (int q = 0; q < 6; q++) {
        backend.addSpans(
            span(
                traceId,
                base + 5 + q,
                base + 4,
                "SELECT shop.order_items",
                Span.SpanKind.SPAN_KIND_CLIENT,
                now + (6 + 4L * q) * 1_000_000,
                3));
      }
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans("load-frontend", frontend))
        .addResourceSpans(resourceSpans("load-backend", backend))
        .build();
  }

  private static ResourceSpans resourceSpans(String service, ScopeSpans.Builder spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
        .addScopeSpans(spans)
        .build();
  }

  private static Span span(
      ByteString traceId,
      long id,
      long parent,
      String name,
      Span.SpanKind kind,
      long start,
      long millis) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(start + millis * 1_000_000)
            .addAttributes(attribute("thread.name", "http-nio-8080-exec-1"))
            .setStatus(Status.newBuilder());
    if (parent != 0) {
      span.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(parent).array()));
    }
    if (kind == Span.SpanKind.SPAN_KIND_CLIENT && name.startsWith("SELECT")) {
      span.addAttributes(attribute("db.system.name", "h2"))
          .addAttributes(
              attribute(
                  "db.query.text",
                  "SELECT product_id, quantity FROM order_items WHERE order_id = ?"));
    }
    return span.build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** Heap the whole-trace buffer retains per span it holds: spans as received, then buffered. */
  private Map<String, Object> retainedPerBufferedSpan(int spans) throws InterruptedException {
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    for (int i = 0; i < spans / SPANS_PER_REQUEST; i++) {
      requests.add(request());
    }
    List<List<io.opentelemetry.sdk.trace.data.SpanData>> decoded = new ArrayList<>();
    long before = RetainedMemory.usedHeapAfterGc();
    for (ExportTraceServiceRequest request : requests) {
      decoded.add(OtlpProtoSpans.decode(request).spans());
    }
    long spansOnly = RetainedMemory.usedHeapAfterGc();
    WholeTraceBuffer buffer =
        new WholeTraceBuffer(
            new BufferLimits(
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofHours(1),
                1 << 20,
                1 << 20,
                Long.MAX_VALUE,
                1000));
    for (List<io.opentelemetry.sdk.trace.data.SpanData> batch : decoded) {
      buffer.add(batch, 0);
    }
    long buffered = RetainedMemory.usedHeapAfterGc();
    int held = (int) buffer.bufferedSpans();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("spans", held);
    result.put("decoded_span_bytes", (spansOnly - before) / (double) held);
    result.put("buffer_bytes_per_span", (buffered - spansOnly) / (double) held);
    result.put("estimated_bytes_per_span", buffer.bufferedBytes() / (double) held);
    // Everything stays reachable until measured.
    Reference.reachabilityFence(requests);
    Reference.reachabilityFence(decoded);
    Reference.reachabilityFence(buffer);
    return result;
  }

  private static String markdown(Map<String, Object> report, List<Map<String, Object>> runs) {
    StringBuilder md = new StringBuilder();
    md.append("# Collector load run\n\n")
        .append("Date: ")
        .append(report.get("date"))
        .append("  \n")
        .append("Machine: ")
        .append(report.get("machine"))
        .append("  \n")
        .append("Load: ")
        .append(report.get("load"))
        .append("\n\n")
        .append(
            "| repetition | configuration | delivered spans | CPU s | CPU µs/span | spans per CPU-second | cores used | unpaced spans/s |\n")
        .append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (Map<String, Object> run : runs) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.2f | %.2f | %,.0f | %.2f | %,.0f |%n",
              run.get("repetition"),
              run.get("configuration"),
              (Long) run.get("delivered_spans"),
              (Double) run.get("cpu_seconds"),
              (Double) run.get("cpu_us_per_span"),
              (Double) run.get("spans_per_cpu_second"),
              (Double) run.get("cores_used"),
              (Double) run.get("saturation_spans_per_second")));
    }
    md.append("\nCPU per span, analysis ÷ pass-through, per repetition:");
    for (int i = 0; i + 1 < runs.size(); i += 2) {
      double pass = (Double) runs.get(i).get("cpu_us_per_span");
      double analysis = (Double) runs.get(i + 1).get("cpu_us_per_span");
      md.append(String.format(Locale.ROOT, " %.2f×", analysis / pass));
    }
    md.append("\n\nRetained heap of the whole-trace buffer: ")
        .append(report.get("retained_bytes_per_buffered_span"))
        .append("\n");
    return md.toString();
  }

  private static long cpuNanos(Process process) {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static void awaitHealthy(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the collector did not become healthy within 60 s");
      }
      Thread.sleep(200); // polling a process start-up
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
