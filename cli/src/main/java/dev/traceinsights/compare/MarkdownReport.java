package dev.traceinsights.compare;

import dev.traceinsights.baseline.Baseline;
import dev.traceinsights.baseline.OperationBaseline;
import dev.traceinsights.detection.DetectionResult;
import dev.traceinsights.detection.RegressionFinding;
import dev.traceinsights.events.Severity;
import dev.traceinsights.stats.OperationKey;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * A {@link RunComparison} as GitHub-flavoured Markdown, for a CI job's log or a pull request
 * comment: the verdict first, then regressions, improvements, new bottlenecks, new and vanished
 * operations and what was skipped.
 */
public final class MarkdownReport {

  private static final double NANOS_PER_MILLI = 1_000_000.0;

  private MarkdownReport() {}

  /** Writes the report; does not close {@code out}. */
  public static void write(RunComparison comparison, Severity failOn, Writer out)
      throws IOException {
    StringBuilder md = new StringBuilder();
    DetectionResult detection = comparison.detection();
    md.append("# Trace Insights: run compared with baseline\n\n");
    long failing =
        detection.regressions().stream().filter(f -> f.severity().atLeast(failOn)).count();
    if (failing > 0) {
      md.append("**Result: fail**: ")
          .append(failing)
          .append(failing == 1 ? " regression" : " regressions")
          .append(" at or above `")
          .append(failOn.label())
          .append("`.\n\n");
    } else if (comparison.nothingCompared() != null) {
      md.append("**Result: no data**: nothing was compared: ")
          .append(comparison.nothingCompared())
          .append(".\n\n");
    } else {
      md.append("**Result: pass**: no regression at or above `")
          .append(failOn.label())
          .append("`.\n\n");
    }
    md.append("- Baseline: ")
        .append(side(comparison.baseline(), comparison.baselineBottlenecks()))
        .append('\n');
    md.append("- Run: ").append(side(comparison.run(), comparison.runBottlenecks())).append("\n\n");

    findings(md, "Regressions", detection.regressions());
    findings(md, "Improvements", detection.improvements());
    newBottlenecks(md, comparison);
    operations(md, "New operations", comparison.newOperations(), comparison.run());
    operations(md, "Vanished operations", comparison.vanishedOperations(), comparison.baseline());

    md.append("## Skipped\n\n");
    md.append("- ")
        .append(detection.tested())
        .append(" operations compared; ")
        .append(detection.tooFewSamples())
        .append(" with too few durations on one side to compare.\n");
    out.write(md.toString());
    out.flush();
  }

  private static String side(Baseline baseline, @Nullable BottleneckShares shares) {
    String source = baseline.source().isEmpty() ? "(no source)" : baseline.source();
    StringBuilder text = new StringBuilder(cell(source)).append(" (");
    if (shares != null) {
      text.append(shares.traces()).append(" traces, ");
    }
    text.append(baseline.operations().size()).append(" operations");
    if (baseline.droppedOperations() > 0) {
      text.append(", ")
          .append(baseline.droppedOperations())
          .append(" calls of operations beyond the maximum not recorded");
    }
    return text.append(')').toString();
  }

  private static void findings(StringBuilder md, String heading, List<RegressionFinding> findings) {
    md.append("## ").append(heading).append(" (").append(findings.size()).append(")\n\n");
    if (findings.isEmpty()) {
      md.append("None.\n\n");
      return;
    }
    md.append("| Severity | Operation | p50 | p95 | p99 | p50 change | Adjusted p | Examples |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (RegressionFinding finding : findings) {
      md.append("| ")
          .append(finding.severity().label())
          .append(" | ")
          .append(operation(finding.operation()))
          .append(" | ")
          .append(beforeAfter(finding.baseline().p50Nanos(), finding.current().p50Nanos()))
          .append(" | ")
          .append(beforeAfter(finding.baseline().p95Nanos(), finding.current().p95Nanos()))
          .append(" | ")
          .append(beforeAfter(finding.baseline().p99Nanos(), finding.current().p99Nanos()))
          .append(" | ")
          .append(percent(finding.p50ChangePercent()))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.2g", finding.pValueAdjusted()))
          .append(" | ")
          .append(traceIds(finding.exampleTraceIds()))
          .append(" |\n");
    }
    md.append('\n');
    for (RegressionFinding finding : findings) {
      md.append("- **")
          .append(cell(finding.operation().spanName()))
          .append("**: ")
          .append(cell(finding.recommendation()))
          .append('\n');
    }
    md.append('\n');
  }

  private static void newBottlenecks(StringBuilder md, RunComparison comparison) {
    if (!comparison.bottlenecksCompared()) {
      md.append("## New bottlenecks\n\n")
          .append("Not compared: the baseline is a baseline file, which keeps no traces.\n\n");
      return;
    }
    List<NewBottleneck> bottlenecks = comparison.newBottlenecks();
    md.append("## New bottlenecks (").append(bottlenecks.size()).append(")\n\n");
    if (bottlenecks.isEmpty()) {
      md.append("None.\n\n");
      return;
    }
    md.append("| Operation | Bottleneck of run traces | Of baseline traces |\n");
    md.append("|---|---|---|\n");
    for (NewBottleneck bottleneck : bottlenecks) {
      md.append("| ")
          .append(operation(bottleneck.operation()))
          .append(" | ")
          .append(share(bottleneck.runTraces(), bottleneck.runTotal(), bottleneck.runShare()))
          .append(" | ")
          .append(
              share(
                  bottleneck.baselineTraces(),
                  bottleneck.baselineTotal(),
                  bottleneck.baselineShare()))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void operations(
      StringBuilder md, String heading, List<OperationKey> operations, Baseline side) {
    md.append("## ").append(heading).append(" (").append(operations.size()).append(")\n\n");
    if (operations.isEmpty()) {
      md.append("None.\n\n");
      return;
    }
    for (OperationKey operation : operations) {
      OperationBaseline calls = side.operation(operation);
      md.append("- ").append(operation(operation));
      if (calls != null) {
        md.append(": ")
            .append(calls.calls())
            .append(" calls, p50 ")
            .append(millis(calls.p50Nanos()));
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static String operation(OperationKey operation) {
    return cell(operation.spanName())
        + " ("
        + operation.kind().name().toLowerCase(Locale.ROOT)
        + ", "
        + cell(operation.serviceName())
        + ")";
  }

  private static String beforeAfter(double beforeNanos, double afterNanos) {
    return millis(beforeNanos) + " → " + millis(afterNanos);
  }

  private static String millis(double nanos) {
    double ms = nanos / NANOS_PER_MILLI;
    String pattern = ms >= 100 ? "%.0f ms" : ms >= 10 ? "%.1f ms" : ms >= 1 ? "%.2f ms" : "%.3f ms";
    return String.format(Locale.ROOT, pattern, ms);
  }

  private static String percent(double percent) {
    if (Double.isInfinite(percent)) {
      return percent > 0 ? "+∞ %" : "-∞ %";
    }
    return String.format(Locale.ROOT, "%+.1f %%", percent);
  }

  private static String share(int traces, int total, double share) {
    return String.format(Locale.ROOT, "%.0f %% (%d of %d)", 100 * share, traces, total);
  }

  private static String traceIds(List<String> traceIds) {
    if (traceIds.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (String traceId : traceIds) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append('`').append(traceId.replace("`", "")).append('`');
    }
    return text.toString();
  }

  /** Text safe in a table cell or list item: pipes escaped, line breaks as spaces. */
  private static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
  }
}
