package dev.traceinsights.stats;

import static dev.traceinsights.stats.StatsTestSpans.MS;
import static dev.traceinsights.stats.StatsTestSpans.analyze;
import static dev.traceinsights.stats.StatsTestSpans.trace;
import static dev.traceinsights.testing.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceinsights.analysis.TraceAnalysis;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One writer and readers of snapshots, recent traces and metrics at the same time. */
class LiveStatisticsConcurrencyTest {

  @Test
  void readersSeeConsistentRowsWhileTheWriterRecords() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      LiveStatistics statistics =
          LiveStatistics.builder().setMaxOperations(20).setMeterProvider(meterProvider).build();
      int traces = 2000;
      List<List<SpanData>> spans = new ArrayList<>();
      List<TraceAnalysis> analyses = new ArrayList<>();
      for (int i = 0; i < traces; i++) {
        spans.add(trace(traceId(i + 1), 1 + i % 30)); // span names s0..s29: some overflow
        analyses.add(analyze(spans.get(i)));
      }
      AtomicBoolean writing = new AtomicBoolean(true);
      ExecutorService executor = Executors.newFixedThreadPool(3);
      try {
        Future<?> writer =
            executor.submit(
                () -> {
                  for (int i = 0; i < traces; i++) {
                    statistics.recordTrace(analyses.get(i), spans.get(i));
                    statistics.recordUnanalyzed(StatsTestSpans.span("late").duration(MS).build());
                  }
                  writing.set(false);
                });
        Future<?> snapshots =
            executor.submit(
                () -> {
                  while (writing.get()) {
                    for (OperationStatistics row : statistics.snapshot().operations()) {
                      // Each row is read under the lock: a sketch read while it is being
                      // written to could throw or come out unordered.
                      assertThat(row.durationP50Nanos())
                          .isLessThanOrEqualTo(row.durationP99Nanos());
                      assertThat(row.recentCalls()).isLessThanOrEqualTo(row.calls());
                      assertThat(row.calls()).isPositive();
                    }
                  }
                });
        Future<?> others =
            executor.submit(
                () -> {
                  int i = 0;
                  while (writing.get()) {
                    statistics.recentTraces(traceId(1 + i++ % traces));
                    reader.collectAllMetrics();
                  }
                });
        writer.get(60, TimeUnit.SECONDS);
        snapshots.get(60, TimeUnit.SECONDS);
        others.get(60, TimeUnit.SECONDS);
      } finally {
        executor.shutdownNow();
      }

      long spanCount = spans.stream().mapToLong(List::size).sum() + traces;
      StatisticsSnapshot snapshot = statistics.snapshot();
      assertThat(snapshot.recordedSpans()).isEqualTo(spanCount);
      assertThat(snapshot.operations().stream().mapToLong(OperationStatistics::calls).sum())
          .isEqualTo(spanCount);
      assertThat(statistics.operationCount()).isEqualTo(20);
    }
  }
}
