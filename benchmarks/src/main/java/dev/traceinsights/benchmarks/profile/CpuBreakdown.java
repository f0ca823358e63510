package dev.traceinsights.benchmarks.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service JVM's CPU went, by Trace Insights component: JFR execution samples (one every
 * {@link #SAMPLE_PERIOD_MICROS} µs per running Java thread with the {@code profile} settings), each
 * attributed to the component of the innermost Trace Insights frame on its stack, so that library
 * code we call (the SDK's attribute builders, DDSketch, the batch processor) counts against the
 * component that called it. Samples without a Trace Insights frame count as export work when an
 * exporter or the batch processor is on the stack, else as the application and the agent's own
 * instrumentation.
 *
 * <pre>
 * java -cp benchmarks.jar dev.traceinsights.benchmarks.profile.CpuBreakdown REQUESTS FILE.jfr...
 * </pre>
 */
public final class CpuBreakdown {

  /** The {@code profile} settings' {@code jdk.ExecutionSample} period for Java code. */
  public static final long SAMPLE_PERIOD_MICROS = 10_000;

  private static final String OURS = "dev.traceinsights.";
  private static final String SHADED = "dev.traceinsights.shaded.";
  // The demo services are the application here, not Trace Insights.
  private static final String DEMO = "dev.traceinsights.demo.";

  private final Map<Component, Long> samples = new EnumMap<>(Component.class);
  private final Map<Component, Long> allocated = new EnumMap<>(Component.class);
  private long total;
  private long totalAllocated;

  /** The components a span passes through, in the order it meets them. */
  public enum Component {
    CAPTURE("capture (application thread)"),
    HAND_OFF("hand-off: queue offer (application thread) and take (worker)"),
    ASSEMBLY("assembly (local trace buffer)"),
    ANALYSIS("analysis"),
    ENRICHMENT("enrichment"),
    TAIL("tail decisions"),
    STATISTICS("statistics and metrics"),
    DETECTION("detection, baselines, alerting"),
    FORWARD("forward to the batch processor (worker)"),
    OTHER_OURS("other Trace Insights code (worker loop, samplers, wiring)"),
    EXPORT("export: batch processor, marshalling, sending"),
    REST("application, agent instrumentation, SDK, JVM");

    private final String label;

    Component(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: CpuBreakdown REQUESTS FILE.jfr...");
      System.exit(2);
    }
    double requests = Double.parseDouble(args[0]);
    CpuBreakdown breakdown = new CpuBreakdown();
    for (int i = 1; i < args.length; i++) {
      breakdown.add(Path.of(args[i]));
    }
    System.out.print(breakdown.table(requests));
  }

  /** Adds every execution sample of one recording. */
  public void add(Path recording) throws IOException {
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null) {
          continue;
        }
        if (type.equals("jdk.ExecutionSample")) {
          samples.merge(classify(stack.getFrames()), 1L, Long::sum);
          total++;
        } else if (type.equals("jdk.ObjectAllocationSample")) {
          // Each sample stands for "weight" bytes allocated since the thread's previous one.
          long weight = event.getLong("weight");
          allocated.merge(classify(stack.getFrames()), weight, Long::sum);
          totalAllocated += weight;
        }
      }
    }
  }

  /** Adds every file in {@code directory} named {@code prefix...suffix}. */
  public void addAll(Path directory, String prefix, String suffix) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(directory)) {
      list.filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .forEach(files::add);
    }
    for (Path file : files) {
      add(file);
    }
  }

  public long samples(Component component) {
    return samples.getOrDefault(component, 0L);
  }

  public long total() {
    return total;
  }

  /** Sampled allocation attributed to {@code component}, in (estimated) bytes. */
  public long allocated(Component component) {
    return allocated.getOrDefault(component, 0L);
  }

  public long totalAllocated() {
    return totalAllocated;
  }

  /** Sampled CPU per request, in microseconds. */
  public double microsPerRequest(Component component, double requests) {
    return samples(component) * (double) SAMPLE_PERIOD_MICROS / requests;
  }

  /** Markdown: samples, share and µs per request of each component. */
  public String table(double requests) {
    StringBuilder out = new StringBuilder();
    out.append("| component | samples | share | sampled CPU per request (µs) |\n");
    out.append("|---|---:|---:|---:|\n");
    for (Component component : Component.values()) {
      long count = samples(component);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f %% | %.1f |%n",
              component.label(),
              count,
              total == 0 ? 0 : 100.0 * count / total,
              microsPerRequest(component, requests)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "| all | %d | 100 %% | %.1f |%n",
            total,
            total * (double) SAMPLE_PERIOD_MICROS / requests));
    return out.toString();
  }

  /**
   * The component of the innermost Trace Insights frame, frames listed innermost first; except that
   * an exporter's code reached from ours is export work: the exporter serialises enriched
   * attributes through their view's {@code forEach}, which calls back into it.
   */
  static Component classify(List<RecordedFrame> frames) {
    boolean export = false;
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith(OURS) && !type.startsWith(SHADED) && !type.startsWith(DEMO)) {
        return export ? Component.EXPORT : ofOurs(type, frame.getMethod().getName());
      }
      if (type.startsWith("io.opentelemetry.exporter.")
          || type.endsWith(".BatchSpanProcessor")
          || type.contains(".BatchSpanProcessor$")) {
        export = true;
      }
    }
    return export ? Component.EXPORT : Component.REST;
  }

  static Component ofOurs(String type, String method) {
    String rest = type.substring(OURS.length());
    int dot = rest.indexOf('.');
    String feature = dot < 0 ? "" : rest.substring(0, dot);
    String simple = dot < 0 ? rest : rest.substring(rest.lastIndexOf('.') + 1);
    switch (feature) {
      case "capture":
        return Component.CAPTURE;
      case "assembly":
        return Component.ASSEMBLY;
      case "analysis":
        return Component.ANALYSIS;
      case "enrichment":
        return Component.ENRICHMENT;
      case "tail":
        return Component.TAIL;
      case "stats":
        return Component.STATISTICS;
      case "detection":
      case "anomaly":
      case "trend":
      case "baseline":
      case "alerting":
      case "events":
        return Component.DETECTION;
      default:
        break;
    }
    if (simple.startsWith("TraceInsightsSpanProcessor")) {
      return Component.HAND_OFF;
    }
    if (simple.startsWith("AnalysisWorker")) {
      switch (method) {
        case "forward":
          return Component.FORWARD;
        case "drainQueue":
          return Component.HAND_OFF;
        default:
          return Component.OTHER_OURS;
      }
    }
    return Component.OTHER_OURS;
  }
}
