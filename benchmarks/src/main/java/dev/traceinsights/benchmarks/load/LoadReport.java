package dev.traceinsights.benchmarks.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The load run as Markdown: per configuration the median over repetitions, and ratios that are
 * computed within each repetition (the configurations ran back to back) and then summarised by
 * their median and range.
 */
final class LoadReport {

  // The overhead budget (DESIGN.md and the "Overhead" issue): agent + extension over agent.
  static final double THROUGHPUT_TARGET = 0.97;
  static final double CPU_TARGET = 1.05;
  static final double ALLOCATION_TARGET = 1.10;
  static final double EXPORTED_BYTES_TARGET = 1.25;
  static final double P50_TARGET = 1.03;
  static final double P99_TARGET = 1.05;
  static final double STARTUP_TARGET = 1.05;

  private LoadReport() {}

  /** Renders a {@code load.json} written by {@link LoadRun} again: {@code LoadReport load.json}. */
  public static void main(String[] args) throws java.io.IOException {
    if (args.length != 1) {
      System.err.println("usage: LoadReport load.json");
      System.exit(2);
    }
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(new java.io.File(args[0]));
    List<RunResult> runs =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readerForListOf(RunResult.class)
            .readValue(json.path("runs"));
    String jvm =
        json.path("java").asText() + " " + String.join(" ", readStrings(json.path("jvmOptions")));
    System.out.print(
        render(runs, header(json.path("started").asText(), json.path("options").asText(), jvm)));
  }

  /** The runs of a {@code load.json} written by {@link LoadRun}. */
  static List<RunResult> readRuns(java.nio.file.Path loadJson) throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    return mapper
        .readerForListOf(RunResult.class)
        .readValue(mapper.readTree(loadJson.toFile()).path("runs"));
  }

  /** The lines above the tables: when, with which options, which service JVM. */
  static String header(String started, String options, String serviceJvm) {
    return "## End to end: demo services under fixed-rate load\n\n- Started: "
        + started
        + "\n- Options: "
        + options
        + "\n- Service JVM: "
        + serviceJvm
        + "\n\n";
  }

  private static List<String> readStrings(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> strings = new ArrayList<>();
    array.forEach(node -> strings.add(node.asText()));
    return strings;
  }

  static String render(List<RunResult> runs, String header) {
    StringBuilder out = new StringBuilder(header);
    out.append(
        "| configuration | max throughput (req/s) | p50 (ms) | p99 (ms) | p99.9 (ms) | CPU per"
            + " request (ms) | of it JIT (ms) | allocated per request (KiB) | start-up (s) |"
            + " exported per request (B) | spans per request | bytes per span | errors |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Configuration configuration : Configuration.values()) {
      List<RunResult> mine = of(runs, configuration);
      if (mine.isEmpty()) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.2f | %.2f | %.2f | %.3f | %.3f | %.0f | %.2f | %.0f | %.2f | %.0f |"
                  + " %d |%n",
              configuration.label(),
              median(mine, RunResult::saturationThroughput),
              median(mine, r -> r.latencyP50Micros() / 1000.0),
              median(mine, r -> r.latencyP99Micros() / 1000.0),
              median(mine, r -> r.latencyP999Micros() / 1000.0),
              median(mine, r -> r.cpuMicrosPerRequest() / 1000.0),
              median(mine, r -> r.compilationMicrosPerRequest() / 1000.0),
              median(mine, r -> r.allocatedBytesPerRequest() / 1024),
              median(mine, r -> r.startupMillis() / 1000.0),
              median(mine, RunResult::exportedBytesPerRequest),
              median(mine, RunResult::exportedSpansPerRequest),
              median(mine, RunResult::exportedBytesPerSpan),
              mine.stream().mapToLong(r -> r.errors() + r.saturationErrors()).sum()));
    }
    out.append("\nRatios, computed within each repetition; median (range):\n\n");
    out.append(
        "| comparison | max throughput | p50 | p99 | CPU per request | without JIT |"
            + " allocated per request | start-up | exported per request |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    ratioRow(out, runs, Configuration.AGENT, Configuration.NO_AGENT);
    ratioRow(out, runs, Configuration.AGENT_EXTENSION, Configuration.AGENT);
    ratioRow(out, runs, Configuration.AGENT_EXTENSION, Configuration.NO_AGENT);

    out.append("\nTargets (agent + extension against agent alone):\n\n");
    Ratio throughput =
        ratio(
            runs,
            Configuration.AGENT_EXTENSION,
            Configuration.AGENT,
            RunResult::saturationThroughput);
    Ratio p50 =
        ratio(runs, Configuration.AGENT_EXTENSION, Configuration.AGENT, r -> r.latencyP50Micros());
    Ratio p99 =
        ratio(runs, Configuration.AGENT_EXTENSION, Configuration.AGENT, r -> r.latencyP99Micros());
    Ratio startup =
        ratio(runs, Configuration.AGENT_EXTENSION, Configuration.AGENT, RunResult::startupMillis);
    Ratio cpu =
        ratio(
            runs,
            Configuration.AGENT_EXTENSION,
            Configuration.AGENT,
            RunResult::cpuMicrosPerRequest);
    Ratio allocation =
        ratio(
            runs,
            Configuration.AGENT_EXTENSION,
            Configuration.AGENT,
            RunResult::allocatedBytesPerRequest);
    Ratio exported =
        ratio(
            runs,
            Configuration.AGENT_EXTENSION,
            Configuration.AGENT,
            RunResult::exportedBytesPerRequest);
    Ratio exportedPerSpan =
        ratio(
            runs,
            Configuration.AGENT_EXTENSION,
            Configuration.AGENT,
            RunResult::exportedBytesPerSpan);
    Ratio steadyCpu =
        ratio(
            runs,
            Configuration.AGENT_EXTENSION,
            Configuration.AGENT,
            RunResult::cpuWithoutCompilationMicrosPerRequest);
    out.append("- CPU per request ").append(verdict(cpu, CPU_TARGET, false)).append('\n');
    out.append("- CPU per request without the JIT compilers' time ")
        .append(verdict(steadyCpu, CPU_TARGET, false))
        .append('\n');
    out.append("- Allocated per request ")
        .append(verdict(allocation, ALLOCATION_TARGET, false))
        .append('\n');
    out.append("- Exported bytes per request ")
        .append(verdict(exported, EXPORTED_BYTES_TARGET, false))
        .append('\n');
    out.append("- Exported bytes per span (the same spans per request in both; not moved by the")
        .append(" batches at the phase's edges) ")
        .append(verdict(exportedPerSpan, EXPORTED_BYTES_TARGET, false))
        .append('\n');
    out.append("- Throughput ").append(verdict(throughput, THROUGHPUT_TARGET, true)).append('\n');
    out.append("- p50 latency ").append(verdict(p50, P50_TARGET, false)).append('\n');
    out.append("- p99 latency ").append(verdict(p99, P99_TARGET, false)).append('\n');
    out.append("- Start-up ").append(verdict(startup, STARTUP_TARGET, false)).append('\n');

    threadCpu(out, runs);

    out.append("\nEvery run:\n\n");
    out.append(
        "| rep | order | configuration | start-up backend / frontend (ms) | offered (req/s) |"
            + " completed | p50 / p99 / max (ms) | CPU/req (ms) | JIT/req (ms) | alloc/req (KiB) |"
            + " threads ended | exports (with insights) | max throughput (req/s) |\n");
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<RunResult> ordered = new ArrayList<>(runs);
    ordered.sort(
        Comparator.comparingInt(RunResult::repetition).thenComparingInt(RunResult::position));
    for (RunResult r : ordered) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %.0f / %.0f | %.0f | %d | %.2f / %.2f / %.1f | %.3f | %.3f |"
                  + " %.0f%s | %d | %d (%d) | %.0f |%n",
              r.repetition(),
              r.position(),
              r.configuration().label(),
              r.backendStartupMillis(),
              r.frontendStartupMillis(),
              r.rate(),
              r.completed(),
              r.latencyP50Micros() / 1000.0,
              r.latencyP99Micros() / 1000.0,
              r.latencyMaxMicros() / 1000.0,
              r.cpuMicrosPerRequest() / 1000.0,
              r.compilationMicrosPerRequest() / 1000.0,
              r.allocatedBytesPerRequest() / 1024,
              r.allocationExact() ? "" : "*",
              r.threadsEnded(),
              r.exportRequests(),
              r.exportsWithInsights(),
              r.saturationThroughput()));
    }
    if (runs.stream().anyMatch(r -> !r.allocationExact())) {
      out.append(
          "\n\\* summed over the threads alive at the end of the phase (JDK 17 has no JVM-wide"
              + " total); a thread that ended during the phase took its bytes with it (see"
              + " \"threads ended\").\n");
    }
    return out.toString();
  }

  private static void ratioRow(
      StringBuilder out, List<RunResult> runs, Configuration measured, Configuration baseline) {
    if (of(runs, measured).isEmpty() || of(runs, baseline).isEmpty()) {
      return;
    }
    out.append("| ")
        .append(measured.label())
        .append(" ÷ ")
        .append(baseline.label())
        .append(" | ")
        .append(ratio(runs, measured, baseline, RunResult::saturationThroughput))
        .append(" | ")
        .append(ratio(runs, measured, baseline, r -> r.latencyP50Micros()))
        .append(" | ")
        .append(ratio(runs, measured, baseline, r -> r.latencyP99Micros()))
        .append(" | ")
        .append(ratio(runs, measured, baseline, RunResult::cpuMicrosPerRequest))
        .append(" | ")
        .append(ratio(runs, measured, baseline, RunResult::cpuWithoutCompilationMicrosPerRequest))
        .append(" | ")
        .append(ratio(runs, measured, baseline, RunResult::allocatedBytesPerRequest))
        .append(" | ")
        .append(ratio(runs, measured, baseline, RunResult::startupMillis))
        .append(" | ")
        .append(
            baseline == Configuration.NO_AGENT
                ? "—"
                : ratio(runs, measured, baseline, RunResult::exportedBytesPerRequest).toString())
        .append(" |\n");
  }

  /** Per repetition {@code measured / baseline}; the median and range over repetitions. */
  static Ratio ratio(
      List<RunResult> runs,
      Configuration measured,
      Configuration baseline,
      ToDoubleFunction<RunResult> metric) {
    List<Double> ratios = new ArrayList<>();
    for (RunResult run : of(runs, measured)) {
      runs.stream()
          .filter(r -> r.configuration() == baseline && r.repetition() == run.repetition())
          .findFirst()
          .ifPresent(base -> ratios.add(metric.applyAsDouble(run) / metric.applyAsDouble(base)));
    }
    return new Ratio(ratios);
  }

  /** "ratio — met" or "ratio — missed: +12.5 % where at most +10 % is allowed". */
  static String verdict(Ratio ratio, double target, boolean atLeast) {
    if (ratio.values().isEmpty()) {
      return "not measured";
    }
    double median = ratio.median();
    boolean met = atLeast ? median >= target : median <= target;
    String bound = String.format(Locale.ROOT, "%s %.2f×", atLeast ? "≥" : "≤", target);
    if (met) {
      return ratio + " — met (target " + bound + ")";
    }
    return String.format(
        Locale.ROOT,
        "%s — missed: %+.1f %% where %s %+.0f %% is allowed",
        ratio,
        100 * (median - 1),
        atLeast ? "at worst" : "at most",
        100 * (target - 1));
  }

  private static List<RunResult> of(List<RunResult> runs, Configuration configuration) {
    return runs.stream().filter(r -> r.configuration() == configuration).toList();
  }

  /**
   * CPU per request by thread group ({@link ThreadCpu}), both services, median over repetitions;
   * nothing for runs recorded without it.
   */
  private static void threadCpu(StringBuilder out, List<RunResult> runs) {
    if (runs.stream()
        .allMatch(
            r ->
                r.threadCpuMicrosPerRequest() == null || r.threadCpuMicrosPerRequest().isEmpty())) {
      return;
    }
    out.append("\nCPU per request by thread (µs, both services, from /proc; median):\n\n| thread");
    for (Configuration configuration : Configuration.values()) {
      out.append(" | ").append(configuration.label());
    }
    out.append(" |\n|---").append("|---:".repeat(Configuration.values().length)).append("|\n");
    for (String group : ThreadCpu.GROUPS) {
      out.append("| ").append(group);
      for (Configuration configuration : Configuration.values()) {
        double median =
            median(
                of(runs, configuration),
                r ->
                    r.threadCpuMicrosPerRequest() == null
                        ? Double.NaN
                        : r.threadCpuMicrosPerRequest().getOrDefault(group, 0.0));
        out.append(String.format(Locale.ROOT, " | %.0f", median));
      }
      out.append(" |\n");
    }
  }

  static double median(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
    return median(runs.stream().mapToDouble(metric).boxed().toList()).orElse(Double.NaN);
  }

  static OptionalDouble median(List<Double> values) {
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return OptionalDouble.of(
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
  }

  /** Ratios of one comparison, one per repetition. */
  record Ratio(List<Double> values) {
    double median() {
      return LoadReport.median(values).orElse(Double.NaN);
    }

    @Override
    public String toString() {
      if (values.isEmpty()) {
        return "—";
      }
      String text = String.format(Locale.ROOT, "%.3f×", median());
      if (values.size() > 1) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        text += String.format(Locale.ROOT, " (%.3f–%.3f)", min, max);
      }
      return text;
    }
  }
}
