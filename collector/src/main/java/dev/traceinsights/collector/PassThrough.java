package dev.traceinsights.collector;

import dev.traceinsights.collector.export.ExportQueue;
import dev.traceinsights.collector.receiver.Admission;
import dev.traceinsights.collector.receiver.SpanIntake;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * Receivers straight to the exporters, with no buffering, analysis or decision ({@code
 * processors.traceinsights.enabled: false}): the collector as a plain relay, which is also the
 * baseline the benchmarks measure the analysis against.
 */
public final class PassThrough implements SpanIntake {

  private final List<ExportQueue> exports;

  public PassThrough(List<ExportQueue> exports) {
    this.exports = List.copyOf(exports);
  }

  @Override
  public Admission offer(List<SpanData> spans) {
    Admission behind = ExportQueue.refusalWhileBehind(exports);
    if (behind != null) {
      return behind;
    }
    for (ExportQueue export : exports) {
      export.offer(spans);
    }
    return Admission.accept();
  }
}
