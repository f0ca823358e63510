package dev.traceinsights.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadReportTest {

  @Test
  void ratiosAreTakenWithinEachRepetitionAndSummarisedByTheirMedian() {
    // Repetition 1 ran slow overall (a busy machine), repetition 2 fast: per repetition the
    // extension costs 2 % and 4 % of throughput; across repetitions the means would mislead.
    List<RunResult> runs =
        List.of(
            run(Configuration.AGENT, 1, 500, 10_000, 6_000),
            run(Configuration.AGENT_EXTENSION, 1, 490, 10_400, 6_300),
            run(Configuration.AGENT, 2, 1000, 5_000, 5_000),
            run(Configuration.AGENT_EXTENSION, 2, 960, 5_100, 5_200));

    LoadReport.Ratio throughput =
        LoadReport.ratio(
            runs,
            Configuration.AGENT_EXTENSION,
            Configuration.AGENT,
            RunResult::saturationThroughput);

    assertThat(throughput.values()).containsExactly(0.98, 0.96);
    assertThat(throughput.median()).isEqualTo(0.97, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(throughput.toString()).isEqualTo("0.970× (0.960–0.980)");
  }

  @Test
  void targetsSayMetOrByHowMuchTheyWereMissed() {
    List<RunResult> runs =
        List.of(
            run(Configuration.NO_AGENT, 1, 2000, 2_000, 1_000),
            run(Configuration.AGENT, 1, 1000, 10_000, 6_000),
            run(Configuration.AGENT_EXTENSION, 1, 990, 11_000, 6_200));

    String report = LoadReport.render(runs, "");

    assertThat(report)
        .contains("- Throughput 0.990× — met (target ≥ 0.97×)")
        .contains("- p99 latency 1.100× — missed: +10.0 % where at most +5 % is allowed")
        .contains("- Start-up 1.033× — met (target ≤ 1.05×)")
        .contains("- CPU per request 1.000× — met (target ≤ 1.05×)")
        .contains("- CPU per request without the JIT compilers' time 1.000× — met (target ≤ 1.05×)")
        .contains("- Exported bytes per request 1.200× — met (target ≤ 1.25×)")
        // 450 B against 400 B a span.
        .contains("phase's edges) 1.125× — met (target ≤ 1.25×)")
        .contains("| agent ÷ no agent | 0.500× |");
  }

  @Test
  void cpuByThreadIsTheMedianPerConfiguration() {
    List<RunResult> runs =
        List.of(
            run(Configuration.AGENT, 1, 1000, 10_000, 6_000),
            run(Configuration.AGENT_EXTENSION, 1, 990, 11_000, 6_200),
            run(Configuration.AGENT_EXTENSION, 2, 990, 11_000, 6_200),
            run(Configuration.AGENT_EXTENSION, 3, 990, 11_000, 6_200));

    String report = LoadReport.render(runs, "");

    // Columns: no agent (no runs), agent, agent + extension (100, 200, 300: median 200).
    assertThat(report)
        .contains("| application and agent | NaN | 3000 | 3000 |")
        .contains("| Trace Insights threads | NaN | 0 | 200 |");
  }

  @Test
  void medianOfAnEvenNumberOfValuesIsTheMeanOfTheMiddleTwo() {
    assertThat(LoadReport.median(List.of(4.0, 1.0, 3.0, 2.0)).getAsDouble()).isEqualTo(2.5);
    assertThat(LoadReport.median(List.of(5.0, 1.0, 3.0)).getAsDouble()).isEqualTo(3.0);
    assertThat(LoadReport.median(List.of())).isEmpty();
  }

  private static RunResult run(
      Configuration configuration,
      int repetition,
      double maxThroughput,
      long p99Micros,
      double startupMillis) {
    return new RunResult(
        configuration,
        repetition,
        configuration.ordinal() + 1,
        startupMillis,
        startupMillis / 2,
        startupMillis / 2,
        250,
        7500,
        7500,
        0,
        250,
        p99Micros / 4,
        p99Micros / 2,
        p99Micros,
        p99Micros * 2,
        p99Micros * 3,
        4_000,
        150_000,
        false,
        0,
        100,
        // The extension's requests are here made to export one span more: bytes per request and
        // bytes per span differ.
        configuration == Configuration.AGENT_EXTENSION ? 7_200 : 6_000,
        configuration == Configuration.AGENT_EXTENSION ? 16 : 15,
        configuration == Configuration.AGENT_EXTENSION ? 100 : 0,
        maxThroughput,
        0,
        5_000,
        20_000,
        1_000,
        Map.of(
            "application and agent",
            3_000.0,
            "Trace Insights threads",
            configuration == Configuration.AGENT_EXTENSION ? 100.0 * repetition : 0.0));
  }
}
