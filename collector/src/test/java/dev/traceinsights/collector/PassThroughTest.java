package dev.traceinsights.collector;

import static dev.traceinsights.collector.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.traceinsights.collector.export.ExportQueue;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassThroughTest {

  private final List<SpanData> trace =
      List.of(
          span(1, 1, 0, "frontend", "GET /shop", SpanKind.SERVER, 0, 330),
          span(1, 2, 1, "frontend", "GET", SpanKind.CLIENT, 5, 325));

  @Test
  void spansGoStraightToTheExporters_asReceived() {
    InMemorySpanExporter backend = InMemorySpanExporter.create();
    try (ExportQueue queue =
        new ExportQueue("test", backend, 100, 10, Duration.ofMinutes(1), Duration.ofSeconds(5))) {
      assertThat(new PassThrough(List.of(queue)).offer(trace).accepted()).isTrue();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> backend.getFinishedSpanItems().size() == 2);
      assertThat(backend.getFinishedSpanItems()).containsExactlyElementsOf(trace);
    }
  }

  @Test
  void refusesWhileAnExporterIsBehind() {
    // A backend that never answers: the first batch stays in flight, so the queue stays full.
    ExportQueue queue =
        new ExportQueue(
            "test",
            new SpanExporter() {
              @Override
              public CompletableResultCode export(Collection<SpanData> spans) {
                return new CompletableResultCode();
              }

              @Override
              public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
              }

              @Override
              public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
              }
            },
            2,
            10,
            Duration.ofMinutes(10),
            Duration.ofMinutes(10));
    try {
      PassThrough relay = new PassThrough(List.of(queue));

      assertThat(relay.offer(trace).accepted()).isTrue();
      assertThat(relay.offer(trace).accepted()).isFalse();
    } finally {
      queue.shutdown(Duration.ofMillis(100));
    }
  }
}
