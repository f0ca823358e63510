package dev.traceinsights.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traceinsights.benchmarks.report.JmhResults.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import javax.annotation.Nullable;

/**
 * Turns the JMH results of one or more rounds ({@code -rf json}) and the memory measurement into
 * Markdown tables with every figure set against its baseline from the same round: the SDK-only
 * pipeline for the hot path, the SDK's ratio sampler for samplers, 10-span traces for the analysis'
 * growth. Where the suite ran in several rounds, a figure is the mean over rounds and a ratio is
 * the mean of the per-round ratios, with their range in brackets.
 *
 * <pre>
 * java -cp benchmarks.jar dev.traceinsights.benchmarks.report.BenchmarkReport \
 *     --jmh round-1.json [--jmh round-2.json ...] [--memory memory.json] [--out report.md]
 *     [--command "how the results were produced"] [--date START-OF-RUN]
 * </pre>
 */
public final class BenchmarkReport {

  static final String FLOOR = "SDK";
  static final String DEFAULT_PIPELINE = "INSIGHTS";
  static final String BASELINE_SAMPLER = "SDK_TRACE_ID_RATIO";
  static final List<String> SHAPES = List.of("bare", "attributes10", "exception");
  static final List<String> PIPELINES =
      List.of("SDK", "INSIGHTS_NO_ALLOCATIONS", "INSIGHTS", "INSIGHTS_CPU_TIME");
  static final int[] TRACE_SIZES = {10, 100, 1_000, 10_000};
  static final List<String> LEVELS = List.of("standard", "full");
  static final String DEFAULT_LEVEL = "standard";

  // The targets.
  static final double HOT_PATH_RATIO_TARGET = 1.25;
  static final double HOT_PATH_BYTES_TARGET = 64;
  static final double ANALYSIS_10_TARGET = 1_000_000;
  static final double ANALYSIS_10000_TARGET = 300_000;
  static final double RETAINED_BYTES_TARGET = 200;

  private final List<JmhResults> rounds;
  @Nullable private final JsonNode memory;
  private final StringBuilder out = new StringBuilder();
  private final List<String> targets = new ArrayList<>();

  BenchmarkReport(List<JmhResults> rounds, @Nullable JsonNode memory) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("rounds must not be empty");
    }
    this.rounds = rounds;
    this.memory = memory;
  }

  public static void main(String[] args) throws IOException {
    List<JmhResults> rounds = new ArrayList<>();
    JsonNode memory = null;
    Path outFile = null;
    String command = null;
    Instant date = Instant.now();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jmh" -> rounds.add(JmhResults.read(Path.of(args[++i])));
        case "--memory" -> memory = new ObjectMapper().readTree(Path.of(args[++i]).toFile());
        case "--out" -> outFile = Path.of(args[++i]);
        case "--command" -> command = args[++i];
        case "--date" -> date = Instant.parse(args[++i]);
        default -> {
          System.err.println(
              "usage: BenchmarkReport --jmh FILE [--jmh FILE ...] [--memory FILE] [--out FILE]"
                  + " [--command TEXT] [--date 2026-01-01T00:00:00Z]");
          System.exit(2);
        }
      }
    }
    if (rounds.isEmpty()) {
      System.err.println("at least one --jmh FILE is needed");
      System.exit(2);
    }
    String markdown = new BenchmarkReport(rounds, memory).render(Machine.describe(), date, command);
    if (outFile != null) {
      Path parent = outFile.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(outFile, markdown);
    }
    System.out.print(markdown);
  }

  /** The whole report. */
  String render(String machine, Instant date, @Nullable String command) {
    out.append("## Benchmark results\n\n");
    out.append("- Date: ").append(date).append('\n');
    out.append("- Machine: ").append(machine).append('\n');
    out.append("- JVM: ").append(rounds.get(0).jdk()).append('\n');
    if (command != null) {
      out.append("- Command: `").append(command).append("`\n");
    }
    out.append("- Rounds: ")
        .append(rounds.size())
        .append(
            rounds.size() > 1 ? " (figures are means; ratios in brackets: range over rounds)" : "")
        .append("\n\n");
    hotPath();
    pacedHotPath();
    analysis();
    samplers();
    memory();
    out.append("### Targets\n\n");
    if (targets.isEmpty()) {
      out.append("No target could be checked from these results.\n");
    }
    targets.forEach(line -> out.append("- ").append(line).append('\n'));
    return out.toString();
  }

  private void hotPath() {
    String benchmark = "HotPathBenchmark";
    if (rounds.get(0).all().stream().noneMatch(r -> r.benchmark().startsWith(benchmark + "."))) {
      return;
    }
    out.append("### Hot path (per span, one application thread)\n\n");
    out.append(
        "| shape | pipeline | ns/op | × floor | app thread CPU ns/op | × floor | app thread B/op |"
            + " vs floor | all threads B/op | queue full |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String shape : SHAPES) {
      String name = benchmark + "." + shape;
      for (String pipeline : PIPELINES) {
        Map<String, String> params = Map.of("pipeline", pipeline);
        Map<String, String> floor = Map.of("pipeline", FLOOR);
        Series time = series(name, params, Result::score);
        if (time.isEmpty()) {
          continue;
        }
        Series ratio = ratios(name, params, floor, Result::score);
        Series cpu = series(name, params, BenchmarkReport::appCpuNanosPerOp);
        Series cpuRatio = ratios(name, params, floor, BenchmarkReport::appCpuNanosPerOp);
        Series appBytes = series(name, params, BenchmarkReport::appBytesPerOp);
        Series extraBytes = differences(name, params, floor, BenchmarkReport::appBytesPerOp);
        Series allBytes = series(name, params, r -> r.secondary("gc.alloc.rate.norm"));
        Series queueFull = series(name, params, percentOfSpans("queueFull"));
        boolean isFloor = pipeline.equals(FLOOR);
        out.append("| ")
            .append(shape)
            .append(" | ")
            .append(pipeline)
            .append(" | ")
            .append(time.format("%.1f"))
            .append(" | ")
            .append(isFloor ? "floor" : ratio.formatRatio())
            .append(" | ")
            .append(cpu.format("%.1f"))
            .append(" | ")
            .append(isFloor ? "floor" : cpuRatio.formatRatio())
            .append(" | ")
            .append(appBytes.format("%.0f"))
            .append(" | ")
            .append(isFloor ? "—" : extraBytes.format("%+.0f"))
            .append(" | ")
            .append(allBytes.format("%.0f"))
            .append(" | ")
            .append(isFloor ? "—" : queueFull.format("%.0f %%"))
            .append(" |\n");
        if (pipeline.equals(DEFAULT_PIPELINE)) {
          targets.add(
              "Hot path, "
                  + shape
                  + ": "
                  + atMost(ratio.mean(), HOT_PATH_RATIO_TARGET, "%.2f× floor")
                  + " (application thread CPU: "
                  + atMost(cpuRatio.mean(), HOT_PATH_RATIO_TARGET, "%.2f× floor")
                  + "); app thread "
                  + atMost(extraBytes.mean(), HOT_PATH_BYTES_TARGET, "%+.0f B/op"));
        }
      }
    }
    out.append('\n');
  }

  /** The paced variant: span time from the benchmark's own counter, not the score. */
  private void pacedHotPath() {
    String benchmark = "PacedHotPathBenchmark";
    if (rounds.get(0).all().stream().noneMatch(r -> r.benchmark().startsWith(benchmark + "."))) {
      return;
    }
    out.append("### Hot path, normal path (10 000 spans/s, every span analysed)\n\n");
    out.append(
        "| shape | pipeline | ns per span | × floor | app thread B/op | vs floor | queue full |"
            + " analysed |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    ToDoubleFunction<Result> spanNanos = r -> r.secondary("spanNanos") / r.secondary("appOps");
    for (String shape : SHAPES) {
      String name = benchmark + "." + shape;
      for (String pipeline : PIPELINES) {
        Map<String, String> params = Map.of("pipeline", pipeline);
        Map<String, String> floor = Map.of("pipeline", FLOOR);
        Series time = series(name, params, spanNanos);
        if (time.isEmpty()) {
          continue;
        }
        Series ratio = ratios(name, params, floor, spanNanos);
        Series extraBytes = differences(name, params, floor, BenchmarkReport::appBytesPerOp);
        Series queueFull = series(name, params, percentOfSpans("queueFull"));
        Series analyzed = series(name, params, percentOfSpans("analyzed"));
        boolean isFloor = pipeline.equals(FLOOR);
        out.append("| ")
            .append(shape)
            .append(" | ")
            .append(pipeline)
            .append(" | ")
            .append(time.format("%.1f"))
            .append(" | ")
            .append(isFloor ? "floor" : ratio.formatRatio())
            .append(" | ")
            .append(series(name, params, BenchmarkReport::appBytesPerOp).format("%.0f"))
            .append(" | ")
            .append(isFloor ? "—" : extraBytes.format("%+.0f"))
            .append(" | ")
            .append(isFloor ? "—" : queueFull.format("%.1f %%"))
            .append(" | ")
            .append(isFloor ? "—" : analyzed.format("%.0f %%"))
            .append(" |\n");
        if (pipeline.equals(DEFAULT_PIPELINE)) {
          targets.add(
              "Hot path, normal path, "
                  + shape
                  + ": "
                  + atMost(ratio.mean(), HOT_PATH_RATIO_TARGET, "%.2f× floor")
                  + "; app thread "
                  + atMost(extraBytes.mean(), HOT_PATH_BYTES_TARGET, "%+.0f B/op"));
        }
      }
    }
    out.append(
        "\nns per span: wall time of the span's start and end alone (`System.nanoTime` around"
            + " them); between spans the thread spins. Analysed: spans the analysis thread"
            + " analysed ÷ spans made in the iteration (spans of the iteration's last 200 ms are"
            + " still in their grace period when it ends).\n\n");
  }

  private void analysis() {
    if (rounds.get(0).all().stream()
        .noneMatch(r -> r.benchmark().startsWith("AnalysisBenchmark."))) {
      return;
    }
    out.append(
        "### Analysis (assembly + analysis + enrichment + the exporter's pass, one thread)\n\n");
    out.append(
        "| attribute level | local trace | spans/s | ns per span | per-span cost ÷ cost at 10"
            + " spans | n log n allows | all threads B/span |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (String level : LEVELS) {
      Map<String, String> params = Map.of("level", level);
      boolean targeted = level.equals(DEFAULT_LEVEL);
      for (int size : TRACE_SIZES) {
        String name = "AnalysisBenchmark.trace" + size;
        Series throughput = series(name, params, Result::score);
        if (throughput.isEmpty()) {
          continue;
        }
        Series growth = ratios(name, params, "AnalysisBenchmark.trace10", r -> 1 / r.score());
        double allowed = Math.log(size) / Math.log(10);
        out.append("| ")
            .append(level)
            .append(" | ")
            .append(String.format(Locale.ROOT, "%,d spans", size))
            .append(" | ")
            .append(throughput.format("%,.0f"))
            .append(" | ")
            .append(String.format(Locale.ROOT, "%.0f", 1e9 / throughput.mean()))
            .append(" | ")
            .append(growth.formatRatio())
            .append(" | ")
            .append(String.format(Locale.ROOT, "%.2f×", allowed))
            .append(" | ")
            .append(series(name, params, r -> r.secondary("gc.alloc.rate.norm")).format("%.0f"))
            .append(" |\n");
        if (targeted && size == 10) {
          targets.add(
              "Analysis, 10-span traces ("
                  + level
                  + "): "
                  + atLeast(throughput.mean(), ANALYSIS_10_TARGET));
        }
        if (targeted && size == 10_000) {
          targets.add(
              "Analysis, 10 000-span traces ("
                  + level
                  + "): "
                  + atLeast(throughput.mean(), ANALYSIS_10000_TARGET));
          targets.add(
              String.format(
                  Locale.ROOT,
                  "Analysis grows no worse than n log n (%s): per-span cost at 10 000 spans is"
                      + " %.2f× that at 10 spans, n log n allows %.2f× — %s",
                  level,
                  growth.mean(),
                  allowed,
                  growth.mean() <= allowed ? "met" : "missed"));
        }
      }
    }
    out.append(
        "\nn log n allows: if the cost of a trace of n spans grows like n log n, the cost per span"
            + " grows like log n, so by log(n)/log(10) from 10 spans.\n\n");
  }

  private void samplers() {
    if (rounds.get(0).all().stream()
        .noneMatch(r -> r.benchmark().equals("SamplerBenchmark.shouldSample"))) {
      return;
    }
    out.append("### Sampler decision\n\n");
    out.append("| sampler | parent | ns/op | × SDK ratio sampler |\n");
    out.append("|---|---|---:|---:|\n");
    for (Result result : rounds.get(0).all()) {
      if (!result.benchmark().equals("SamplerBenchmark.shouldSample")) {
        continue;
      }
      String sampler = result.params().get("sampler");
      String parent = result.params().get("parent");
      Map<String, String> params = Map.of("sampler", sampler, "parent", parent);
      Map<String, String> baseline = Map.of("sampler", BASELINE_SAMPLER, "parent", parent);
      String name = "SamplerBenchmark.shouldSample";
      out.append("| ")
          .append(sampler)
          .append(" | ")
          .append(parent)
          .append(" | ")
          .append(series(name, params, Result::score).format("%.1f"))
          .append(" | ")
          .append(
              sampler.equals(BASELINE_SAMPLER)
                  ? "baseline"
                  : ratios(name, params, baseline, Result::score).formatRatio())
          .append(" |\n");
    }
    out.append('\n');
  }

  private void memory() {
    if (memory == null) {
      return;
    }
    out.append("### Memory\n\n");
    out.append(
        "| round | buffered spans | the span itself | retained by the processor | by the buffer"
            + " alone | buffer's estimate |\n");
    out.append("|---:|---:|---:|---:|---:|---:|\n");
    List<Double> retained = new ArrayList<>();
    for (JsonNode row : memory.path("perBufferedSpan")) {
      retained.add(row.path("bytesPerSpanRetainedByProcessor").asDouble());
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %,d | %.0f B | %.0f B | %.0f B | %.0f B |%n",
              row.path("round").asInt(),
              row.path("bufferedSpans").asLong(),
              row.path("bytesPerSpanItself").asDouble(),
              row.path("bytesPerSpanRetainedByProcessor").asDouble(),
              row.path("bytesPerSpanRetainedByBufferAlone").asDouble(),
              row.path("estimatedBytesPerSpan").asDouble()));
    }
    out.append(
        "\n| offered | traces offered | heap retained | buffered traces | buffered spans |"
            + " released (trace_limit) | released (queue_full) |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JsonNode step : memory.path("overload")) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %d× capacity | %,d | %.1f MiB | %,d | %,d | %,d | %,d |%n",
              step.path("capacityMultiple").asInt(),
              step.path("offeredTraces").asLong(),
              step.path("retainedHeapBytes").asDouble() / (1024 * 1024),
              step.path("bufferedTraces").asLong(),
              step.path("bufferedSpans").asLong(),
              step.path("releasedSpans").path("trace_limit").asLong(),
              step.path("releasedSpans").path("queue_full").asLong()));
    }
    out.append('\n');
    if (!retained.isEmpty()) {
      double worst = retained.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      targets.add(
          "Retained memory per buffered span (worst round): "
              + atMost(worst, RETAINED_BYTES_TARGET, "%.0f B"));
    }
  }

  /** CPU time the benchmark thread spent per span (auxiliary counters). */
  /** A hot-path counter as a share of the spans the benchmark thread made, in %. */
  static ToDoubleFunction<Result> percentOfSpans(String counter) {
    return r -> 100 * r.secondary(counter) / r.secondary("appOps");
  }

  static double appCpuNanosPerOp(Result result) {
    return result.secondary("appCpuNanos") / result.secondary("appOps");
  }

  /** Bytes the benchmark thread allocated per span (auxiliary counters). */
  static double appBytesPerOp(Result result) {
    return result.secondary("appBytes") / result.secondary("appOps");
  }

  /** {@code metric} of one benchmark and parameters, per round. */
  private Series series(
      String benchmark, Map<String, String> params, ToDoubleFunction<Result> metric) {
    List<Double> values = new ArrayList<>();
    for (JmhResults round : rounds) {
      round.find(benchmark, params).ifPresent(r -> values.add(metric.applyAsDouble(r)));
    }
    return new Series(values);
  }

  /** Per round: {@code metric} with {@code params} over {@code metric} with {@code baseline}. */
  private Series ratios(
      String benchmark,
      Map<String, String> params,
      Map<String, String> baseline,
      ToDoubleFunction<Result> metric) {
    return perRound(benchmark, params, benchmark, baseline, metric, (a, b) -> a / b);
  }

  private Series ratios(
      String benchmark,
      Map<String, String> params,
      String baselineBenchmark,
      ToDoubleFunction<Result> metric) {
    return perRound(benchmark, params, baselineBenchmark, params, metric, (a, b) -> a / b);
  }

  private Series differences(
      String benchmark,
      Map<String, String> params,
      Map<String, String> baseline,
      ToDoubleFunction<Result> metric) {
    return perRound(benchmark, params, benchmark, baseline, metric, (a, b) -> a - b);
  }

  private Series perRound(
      String benchmark,
      Map<String, String> params,
      String baselineBenchmark,
      Map<String, String> baselineParams,
      ToDoubleFunction<Result> metric,
      java.util.function.DoubleBinaryOperator combine) {
    List<Double> values = new ArrayList<>();
    for (JmhResults round : rounds) {
      Optional<Result> result = round.find(benchmark, params);
      Optional<Result> base = round.find(baselineBenchmark, baselineParams);
      if (result.isPresent() && base.isPresent()) {
        values.add(
            combine.applyAsDouble(
                metric.applyAsDouble(result.get()), metric.applyAsDouble(base.get())));
      }
    }
    return new Series(values);
  }

  /** "value — met" or "value — missed by difference (percent over)", all in {@code format}. */
  static String atMost(double measured, double target, String format) {
    if (Double.isNaN(measured)) {
      return "not measured";
    }
    String value = String.format(Locale.ROOT, format, measured);
    String limit = String.format(Locale.ROOT, format, target);
    if (measured <= target) {
      return value + " — met (target ≤ " + limit + ")";
    }
    return String.format(
        Locale.ROOT,
        "%s — missed by %s (%.0f %% over the target ≤ %s)",
        value,
        String.format(Locale.ROOT, format.replace("%+", "%"), measured - target),
        100 * (measured - target) / Math.abs(target),
        limit);
  }

  static String atLeast(double measured, double target) {
    String value = String.format(Locale.ROOT, "%,.0f spans/s", measured);
    if (Double.isNaN(measured)) {
      return "not measured";
    }
    if (measured >= target) {
      return String.format(Locale.ROOT, "%s — met (target ≥ %,.0f)", value, target);
    }
    return String.format(
        Locale.ROOT,
        "%s — missed by %,.0f spans/s (%.0f %% short of the target ≥ %,.0f)",
        value,
        target - measured,
        100 * (target - measured) / target,
        target);
  }

  /** One figure per round. */
  record Series(List<Double> values) {

    boolean isEmpty() {
      return values.isEmpty();
    }

    double mean() {
      return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    double min() {
      return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
      return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    String format(String format) {
      if (isEmpty() || Double.isNaN(mean())) {
        return "—";
      }
      return String.format(Locale.ROOT, format, mean());
    }

    String formatRatio() {
      if (isEmpty() || Double.isNaN(mean())) {
        return "—";
      }
      String ratio = String.format(Locale.ROOT, "%.2f×", mean());
      if (values.size() > 1) {
        ratio += String.format(Locale.ROOT, " (%.2f–%.2f)", min(), max());
      }
      return ratio;
    }
  }
}
