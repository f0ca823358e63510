package dev.traceinsights.benchmarks.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.SpanAnalysis;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticTracesTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 100, 1_000, 10_000})
  void isOneValidLocalTraceInTheOrderSpansEnd(int size) {
    List<SpanData> spans = SyntheticTraces.localTrace(size, TRACE_ID, 42);

    assertThat(spans).hasSize(size);
    assertThat(spans)
        .isSortedAccordingTo((a, b) -> Long.compare(a.getEndEpochNanos(), b.getEndEpochNanos()));
    SpanData root = spans.get(size - 1);
    assertThat(root.getParentSpanContext().isRemote()).isTrue();
    for (SpanData span : spans) {
      assertThat(span.getEndEpochNanos()).isGreaterThan(span.getStartEpochNanos());
    }
    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);
    assertThat(analysis.rootSpanId()).isEqualTo(root.getSpanId());
    assertThat(analysis.totals().spanCount()).isEqualTo(size);
  }

  @Test
  void aLargeTraceHasTheFeaturesTheAnalysisLooksFor() {
    List<SpanData> spans = SyntheticTraces.localTrace(10_000, TRACE_ID, 42);

    TraceAnalysis analysis = TraceAnalyzer.create().analyze(spans);

    assertThat(analysis.nPlusOne()).isNotEmpty();
    assertThat(analysis.rootCause()).isNotNull();
    assertThat(analysis.bottlenecks()).isNotEmpty();
    assertThat(analysis.totals().allocatedBytes()).isPositive();
    // A random recursive tree: depth grows like log n, far from a chain or a star.
    assertThat(analysis.shape().depth()).isBetween(5, 60);
    assertThat(analysis.shape().maxFanOut()).isLessThan(1_000);
    assertThat(analysis.criticalPath()).isNotEmpty();
    long onPath = analysis.spans().stream().filter(SpanAnalysis::onCriticalPath).count();
    assertThat(onPath).isGreaterThan(1);
  }

  @Test
  void isTheSameForTheSameSeed() {
    assertThat(SyntheticTraces.localTrace(100, TRACE_ID, 7))
        .usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(SyntheticTraces.localTrace(100, TRACE_ID, 7));
  }
}
