package dev.traceinsights.compare;

import static dev.traceinsights.compare.TestTraces.MS;
import static dev.traceinsights.compare.TestTraces.T0;
import static dev.traceinsights.compare.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.baseline.BaselineRecorder;
import dev.traceinsights.baseline.OperationBaseline;
import dev.traceinsights.detection.RegressionDetector;
import dev.traceinsights.stats.OperationKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceRunTest {

  private static final String T1 = "11111111111111111111111111111111";
  private static final String T2 = "22222222222222222222222222222222";
  private static final String T3 = "33333333333333333333333333333333";
  private static final OperationKey CHECKOUT =
      new OperationKey("shop", "GET /checkout", SpanKind.SERVER);
  private static final OperationKey PAY = new OperationKey("shop", "POST /pay", SpanKind.CLIENT);

  /*
   * T1:  ms  0         50        100
   *      A   [=====================]   GET /checkout  0-100   own time 40
   *      B        [============]       POST /pay      10-70   own time 60, error + exception
   *  Bottleneck of T1: B (60 > 40).
   * T2:  A' 0-100 with B' 10-30: A' own 80 > B' 20; bottleneck A'.
   * T3:  two spans that are each other's parent: a cycle the analyzer refuses; its spans still
   *      count, errors by status only.
   */
  @Test
  void durationsErrorsFingerprintsAndBottleneckShares() {
    List<SpanData> spans =
        List.of(
            span(
                "shop",
                T1,
                "a000000000000001",
                null,
                "GET /checkout",
                SpanKind.SERVER,
                T0,
                T0 + 100 * MS,
                false),
            span(
                "shop",
                T1,
                "b000000000000001",
                "a000000000000001",
                "POST /pay",
                SpanKind.CLIENT,
                T0 + 10 * MS,
                T0 + 70 * MS,
                true),
            span(
                "shop",
                T2,
                "a000000000000002",
                null,
                "GET /checkout",
                SpanKind.SERVER,
                T0,
                T0 + 100 * MS,
                false),
            span(
                "shop",
                T2,
                "b000000000000002",
                "a000000000000002",
                "POST /pay",
                SpanKind.CLIENT,
                T0 + 10 * MS,
                T0 + 30 * MS,
                false),
            span(
                "shop",
                T3,
                "c000000000000001",
                "c000000000000002",
                "POST /pay",
                SpanKind.CLIENT,
                T0,
                T0 + 5 * MS,
                true),
            span(
                "shop",
                T3,
                "c000000000000002",
                "c000000000000001",
                "POST /pay",
                SpanKind.CLIENT,
                T0,
                T0 + 5 * MS,
                false));
    List<String> notes = new ArrayList<>();

    TraceRun run =
        TraceRun.of(
            spans,
            BaselineRecorder.builder().setSeed(1).build(),
            TraceAnalyzer.create(),
            notes::add);

    assertThat(run.bottlenecks().traces()).isEqualTo(2);
    assertThat(run.bottlenecks().bottleneckTraces()).isEqualTo(Map.of(PAY, 1, CHECKOUT, 1));
    assertThat(run.bottlenecks().share(PAY)).isEqualTo(0.5);
    assertThat(notes).singleElement().asString().startsWith("trace " + T3 + ": not analysed (");
    OperationBaseline pay = run.baseline().operation(PAY);
    assertThat(pay.calls()).isEqualTo(4);
    assertThat(pay.errors()).isEqualTo(2);
    assertThat(pay.slowestTraceIds()).containsExactly(T1, T2, T3);
    assertThat(run.baseline().operation(CHECKOUT).calls()).isEqualTo(2);
    assertThat(run.baseline().errorFingerprints()).hasSize(1);
  }

  /*
   * Bottleneck shares, baseline 100 traces, run 100 traces:
   *   X: run 10 % (10), baseline 4 % (4)   -> new: 10 % >= 10 % and 4 % < 5 %
   *   Y: run 10 % (10), baseline 5 % (5)   -> not: 5 % is not below half of 10 %
   *   Z: run 9 % (9),   baseline 0         -> not: below 10 % of the run
   */
  @Test
  void newBottlenecks_atLeastTenPercentOfRunAndUnderHalfThatInBaseline() {
    OperationKey x = new OperationKey("shop", "x", SpanKind.INTERNAL);
    OperationKey y = new OperationKey("shop", "y", SpanKind.INTERNAL);
    OperationKey z = new OperationKey("shop", "z", SpanKind.INTERNAL);
    BottleneckShares baseline = new BottleneckShares(100, Map.of(x, 4, y, 5));
    BottleneckShares runShares = new BottleneckShares(100, Map.of(x, 10, y, 10, z, 9));
    var empty = BaselineRecorder.create().build();

    RunComparison comparison =
        RunComparison.compare(
            RegressionDetector.create(), empty, baseline, new TraceRun(empty, runShares));

    assertThat(comparison.newBottlenecks())
        .singleElement()
        .satisfies(
            bottleneck -> {
              assertThat(bottleneck.operation()).isEqualTo(x);
              assertThat(bottleneck.runShare()).isEqualTo(0.1);
              assertThat(bottleneck.baselineShare()).isEqualTo(0.04);
            });
    assertThat(
            RunComparison.compare(
                    RegressionDetector.create(), empty, null, new TraceRun(empty, runShares))
                .newBottlenecks())
        .isEmpty();
  }
}
