package dev.traceinsights.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the JIT compilers' time goes in each service JVM of a load run ({@code load.sh
 * --compilations}): every compilation is recorded from start ({@code jdk.Compilation} with no
 * threshold), and the report gives, per configuration and service, the C2 time by minute since the
 * JVM started and the share spent on Trace Insights' own methods. It answers whether the compilers
 * are still busy when the load run measures, and with what.
 */
final class CompilationReport {

  /** JFR settings: every compilation, nothing else. */
  static final String SETTINGS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <configuration version="2.0" label="compilations" description="every JIT compilation">
        <event name="jdk.Compilation">
          <setting name="enabled">true</setting>
          <setting name="threshold">0 ms</setting>
        </event>
      </configuration>
      """;

  private static final int MINUTES = 5;

  private CompilationReport() {}

  /** For a directory of recordings named {@code CONFIGURATION-repN-ROLE.jfr}. */
  public static void main(String[] args) throws IOException {
    System.out.println(render(Path.of(args.length > 0 ? args[0] : "benchmarks/target/load/jit")));
  }

  /** The JVM option that records one service's compilations into {@code file}. */
  static String jvmOption(Path settings, Path file) {
    return "-XX:StartFlightRecording=settings="
        + settings.toAbsolutePath()
        + ",filename="
        + file.toAbsolutePath()
        + ",dumponexit=true";
  }

  static String render(Path directory) throws IOException {
    // configuration-role -> one summary per repetition
    Map<String, List<Summary>> byJvm = new TreeMap<>();
    Map<String, Double> ourMethods = new HashMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jfr")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.jfr$", "");
        String jvm = name.replaceFirst("-rep[0-9]+-", " ");
        byJvm.computeIfAbsent(jvm, unused -> new ArrayList<>()).add(summarise(file, ourMethods));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("C2 compilation time in seconds by minute since the JVM started, median over")
        .append(" repetitions (JFR jdk.Compilation; compile time is elapsed time)\n\n");
    out.append("| configuration and service | runs | C2 total | of it Trace Insights |");
    for (int minute = 0; minute < MINUTES; minute++) {
      out.append(minute == MINUTES - 1 ? " ≥ " + minute + " min |" : " min " + minute + " |");
    }
    out.append("\n|---|---:|---:|---:|").append("---:|".repeat(MINUTES)).append('\n');
    byJvm.forEach(
        (jvm, summaries) -> {
          out.append("| ").append(jvm).append(" | ").append(summaries.size()).append(" | ");
          out.append(format(median(summaries, s -> s.c2Total))).append(" | ");
          out.append(format(median(summaries, s -> s.c2Ours))).append(" |");
          for (int minute = 0; minute < MINUTES; minute++) {
            int m = minute;
            out.append(' ').append(format(median(summaries, s -> s.c2ByMinute[m]))).append(" |");
          }
          out.append('\n');
        });
    out.append("\nTrace Insights' methods by C2 time, summed over every recording:\n\n");
    out.append("| method | C2 seconds |\n|---|---:|\n");
    ourMethods.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(15)
        .forEach(
            entry ->
                out.append("| `")
                    .append(entry.getKey())
                    .append("` | ")
                    .append(format(entry.getValue()))
                    .append(" |\n"));
    return out.toString();
  }

  private static Summary summarise(Path file, Map<String, Double> ourMethods) throws IOException {
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    Instant first =
        events.stream()
            .map(RecordedEvent::getStartTime)
            .min(Comparator.naturalOrder())
            .orElse(Instant.EPOCH);
    Summary summary = new Summary();
    for (RecordedEvent event : events) {
      if (!event.getEventType().getName().equals("jdk.Compilation")
          || event.getInt("compileLevel") != 4) {
        continue;
      }
      double seconds = event.getDuration().toNanos() / 1e9;
      long minute = Duration.between(first, event.getStartTime()).toMinutes();
      summary.c2Total += seconds;
      summary.c2ByMinute[(int) Math.min(minute, MINUTES - 1)] += seconds;
      RecordedMethod method = event.getValue("method");
      String type = method.getType().getName();
      if (type.startsWith("dev.traceinsights.") && !type.startsWith("dev.traceinsights.demo.")) {
        summary.c2Ours += seconds;
        // A lambda's hidden class is named like Outer$$Lambda$12+0x0000000800c01234.
        String outer = type.replaceFirst("\\$\\$Lambda.*", "");
        String simple =
            outer.substring(outer.lastIndexOf('.') + 1) + (outer.equals(type) ? "" : "$$Lambda");
        ourMethods.merge(simple + "." + method.getName(), seconds, Double::sum);
      }
    }
    return summary;
  }

  private static double median(List<Summary> summaries, ToDoubleFunction<Summary> f) {
    return LoadReport.median(summaries.stream().mapToDouble(f).boxed().toList()).orElse(Double.NaN);
  }

  private static String format(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds);
  }

  private static final class Summary {
    double c2Total;
    double c2Ours;
    final double[] c2ByMinute = new double[MINUTES];
  }
}
