package dev.traceinsights.benchmarks.load;

import dev.traceinsights.benchmarks.profile.CpuBreakdown;
import dev.traceinsights.benchmarks.profile.CpuBreakdown.Component;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The JFR recordings of a {@code --profile} load run as one Markdown table: for each service and
 * each agent configuration, the sampled CPU per request of every Trace Insights component, summed
 * over repetitions.
 */
final class ProfileReport {

  private static final String[] ROLES = {"backend", "frontend"};
  private static final Configuration[] PROFILED = {
    Configuration.AGENT, Configuration.AGENT_EXTENSION
  };

  private ProfileReport() {}

  /** Renders the profile of a finished run again: {@code ProfileReport LOAD-OUT-DIR}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ProfileReport DIR (the load run's --out, with load.json)");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    List<RunResult> runs = LoadReport.readRuns(out.resolve("load.json"));
    System.out.print(render(out.resolve("profile"), runs));
  }

  static String render(Path directory, List<RunResult> runs) throws IOException {
    CpuBreakdown[][] breakdowns = new CpuBreakdown[ROLES.length][PROFILED.length];
    double[] requests = new double[PROFILED.length];
    for (int c = 0; c < PROFILED.length; c++) {
      Configuration configuration = PROFILED[c];
      requests[c] =
          runs.stream()
              .filter(r -> r.configuration() == configuration)
              .mapToDouble(RunResult::completed)
              .sum();
      for (int r = 0; r < ROLES.length; r++) {
        breakdowns[r][c] = new CpuBreakdown();
        breakdowns[r][c].addAll(
            directory,
            configuration.name().toLowerCase(Locale.ROOT) + "-rep",
            "-" + ROLES[r] + ".jfr");
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("## Where the CPU goes (JFR execution samples, fixed-rate phase)\n\n");
    out.append(
        "Sampled CPU per request in µs (one sample = 10 ms of a running Java thread), summed over"
            + " repetitions; GC and JIT threads are not sampled.\n\n");
    StringBuilder header = new StringBuilder("| component |");
    for (String role : ROLES) {
      for (Configuration configuration : PROFILED) {
        header.append(' ').append(role).append(", ").append(configuration.label()).append(" |");
      }
    }
    header.append("\n|---|");
    header.append("---:|".repeat(ROLES.length * PROFILED.length));
    header.append('\n');
    out.append(header);
    for (Component component : Component.values()) {
      row(
          out,
          component.label(),
          (r, c) ->
              String.format(
                  Locale.ROOT,
                  "%.1f",
                  breakdowns[r][c].microsPerRequest(component, Math.max(1, requests[c]))));
    }
    row(
        out,
        "all sampled",
        (r, c) ->
            String.format(
                Locale.ROOT,
                "%.1f",
                breakdowns[r][c].total()
                    * (double) CpuBreakdown.SAMPLE_PERIOD_MICROS
                    / Math.max(1, requests[c])));
    out.append(
        "\nShare of allocation (JFR allocation samples, each weighted by the bytes its thread"
            + " allocated since its previous sample, attributed the same way; the weights are"
            + " estimates, so only shares are shown, in % of each column's total):\n\n");
    out.append(header.toString());
    for (Component component : Component.values()) {
      row(
          out,
          component.label(),
          (r, c) -> {
            CpuBreakdown breakdown = breakdowns[r][c];
            double share =
                breakdown.totalAllocated() == 0
                    ? 0
                    : 100.0 * breakdown.allocated(component) / breakdown.totalAllocated();
            return String.format(Locale.ROOT, "%.1f %%", share);
          });
    }
    return out.toString();
  }

  /** One table row: a cell per service and configuration, in the header's order. */
  private static void row(StringBuilder out, String label, Cell cell) {
    out.append("| ").append(label).append(" |");
    for (int r = 0; r < ROLES.length; r++) {
      for (int c = 0; c < PROFILED.length; c++) {
        out.append(' ').append(cell.text(r, c)).append(" |");
      }
    }
    out.append('\n');
  }

  /** The text of the cell of service {@code role} and configuration {@code configuration}. */
  private interface Cell {
    String text(int role, int configuration);
  }
}
