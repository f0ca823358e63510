package dev.traceinsights.tail;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.traceinsights.analysis.AnalysisSettings;
import dev.traceinsights.analysis.TraceAnalysis;
import dev.traceinsights.analysis.TraceAnalyzer;
import dev.traceinsights.sampling.RecordingSampler;
import dev.traceinsights.testing.EndedSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.List;

/**
 * Local traces recorded through the real SDK, analysed by the real analyzer, for tail decision
 * tests. Head sampling either samples everything or records everything and samples nothing.
 */
final class RecordedTraces implements AutoCloseable {

  static final long T0 = 1_700_000_000_000_000_000L;

  private final EndedSpans ended = new EndedSpans();
  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private RecordedTraces(boolean headSampled) {
    provider =
        SdkTracerProvider.builder()
            .setSampler(
                headSampled ? Sampler.alwaysOn() : RecordingSampler.wrap(Sampler.alwaysOff()))
            .addSpanProcessor(ended)
            .build();
    tracer = provider.get("test");
  }

  static RecordedTraces recordedOnly() {
    return new RecordedTraces(false);
  }

  static RecordedTraces headSampled() {
    return new RecordedTraces(true);
  }

  /** A trace with a SERVER root lasting {@code millis}; returns its spans, root last. */
  Trace server(String name, long millis) {
    Span root = start(name, SpanKind.SERVER, Context.root(), 0);
    return new Trace(root, millis);
  }

  Span start(String name, SpanKind kind, Context parent, long startMillis) {
    return tracer
        .spanBuilder(name)
        .setSpanKind(kind)
        .setParent(parent)
        .setStartTimestamp(T0 + MILLISECONDS.toNanos(startMillis), NANOSECONDS)
        .startSpan();
  }

  @Override
  public void close() {
    provider.close();
  }

  final class Trace {
    private final Span root;
    private final long millis;

    private Trace(Span root, long millis) {
      this.root = root;
      this.millis = millis;
    }

    /** A child of the root, from {@code start} to {@code end} ms. */
    Trace child(String name, SpanKind kind, long start, long end, String... dbStatement) {
      Span child = start(name, kind, Context.root().with(root), start);
      if (dbStatement.length > 0) {
        child.setAttribute("db.system", "h2");
        child.setAttribute("db.statement", dbStatement[0]);
      }
      child.end(T0 + MILLISECONDS.toNanos(end), NANOSECONDS);
      return this;
    }

    Trace failing() {
      root.setStatus(StatusCode.ERROR, "boom");
      return this;
    }

    /** Ends the root and returns the local trace: its spans and their analysis. */
    Recorded end() {
      root.end(T0 + MILLISECONDS.toNanos(millis), NANOSECONDS);
      String traceId = root.getSpanContext().getTraceId();
      List<SpanData> spans = new ArrayList<>();
      for (SpanData span : ended.spans()) {
        if (span.getTraceId().equals(traceId)) {
          spans.add(span);
        }
      }
      SpanData localRoot = spans.get(spans.size() - 1);
      TraceAnalysis analysis = TraceAnalyzer.create(AnalysisSettings.defaults()).analyze(spans);
      return new Recorded(localRoot, spans, analysis);
    }
  }

  record Recorded(SpanData localRoot, List<SpanData> spans, TraceAnalysis analysis) {}
}
