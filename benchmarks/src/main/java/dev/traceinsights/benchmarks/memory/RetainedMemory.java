package dev.traceinsights.benchmarks.memory;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.traceinsights.TraceInsightsSpanProcessor;
import dev.traceinsights.assembly.AssemblyLimits;
import dev.traceinsights.assembly.AssemblyStats;
import dev.traceinsights.assembly.ReleaseReason;
import dev.traceinsights.assembly.internal.AssemblyCounters;
import dev.traceinsights.assembly.internal.LocalTraceBuffer;
import dev.traceinsights.assembly.internal.LocalTraceSink;
import dev.traceinsights.benchmarks.DiscardingSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;

/**
 * Heap that Trace Insights retains for the spans it buffers, measured as the heap in use after full
 * collections, and its behaviour when offered ten times the buffer's capacity. Not a JMH benchmark:
 * it measures memory, not time.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx2g -cp benchmarks/target/benchmarks.jar \
 *     dev.traceinsights.benchmarks.memory.RetainedMemory [--out memory.json] [--quick]
 * </pre>
 *
 * <p><b>Per buffered span.</b> The same spans are made twice, each time kept by a processor that
 * holds every ended span in a list (the span itself): once without Trace Insights, once with a
 * {@link TraceInsightsSpanProcessor} beside it, the spans' local roots still open so that they stay
 * buffered. Retained per span = (heap with Trace Insights − its empty processor) − (heap without −
 * its empty baseline), divided by the spans buffered. That includes the span data view the
 * processor takes of each span ({@code toSpanData()}) and every buffer structure. The buffer alone
 * ({@link LocalTraceBuffer} over ready-made {@link SpanData}) is measured the same way.
 *
 * <p><b>Ten times the capacity.</b> Traces whose local roots never end are offered with default
 * limits until 10 × {@code maxTraces} traces have been offered, in chunks that the analysis thread
 * has taken in before the next one comes (so that the buffer's limits act, not the hand-off
 * queue's). After each step the heap in use and the counters of released spans are recorded.
 */
public final class RetainedMemory {

  private static final AttributeKey<String> DB_SYSTEM = stringKey("db.system");
  private static final AttributeKey<String> DB_NAMESPACE = stringKey("db.namespace");
  private static final AttributeKey<String> DB_QUERY_TEXT = stringKey("db.query.text");
  private static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = longKey("server.port");

  /** Children per trace in every measurement; the local root never ends. */
  static final int CHILDREN_PER_TRACE = 9;

  private RetainedMemory() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--quick" -> quick = true;
        default -> {
          System.err.println("usage: RetainedMemory [--out FILE.json] [--quick]");
          System.exit(2);
        }
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("date", Instant.now().toString());
    result.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
    result.put("gc", ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
    int traces = quick ? 1_000 : 4_000; // below the default maxTraces (4096): nothing is evicted
    perBufferedSpan(traces / 4, 0); // warm-up: classes and static state of the SDK, unreported
    List<Map<String, Object>> perSpan = new ArrayList<>();
    for (int round = 1; round <= (quick ? 1 : 3); round++) {
      perSpan.add(perBufferedSpan(traces, round));
    }
    result.put("perBufferedSpan", perSpan);
    result.put("overload", overload(quick ? new int[] {1, 2} : new int[] {1, 2, 5, 10}));

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String text = json.writeValueAsString(result);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, text + "\n");
    }
    System.out.println(text);
  }

  /** One round of the per-span measurement with {@code traces} open traces. */
  private static Map<String, Object> perBufferedSpan(int traces, int round) throws Exception {
    int spans = traces * CHILDREN_PER_TRACE;
    // Each phase in its own method: when it returns, nothing of it is reachable any more.
    long[] baseline = spansThemselves(traces);
    long[] insights = spansWithInsights(traces);
    long[] buffer = spansInBufferAlone(traces);
    long itself = baseline[1] - baseline[0];
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("round", round);
    row.put("traces", traces);
    row.put("bufferedSpans", spans);
    row.put("bytesPerSpanItself", (double) itself / spans);
    row.put(
        "bytesPerSpanRetainedByProcessor", (double) (insights[1] - insights[0] - itself) / spans);
    row.put("bytesPerSpanRetainedByBufferAlone", (double) (buffer[1] - buffer[0]) / spans);
    row.put("estimatedBytesPerSpan", (double) insights[2] / spans);
    System.err.printf(
        "round %d: baseline %d -> %d, with Trace Insights %d -> %d, buffer alone %d -> %d%n",
        round, baseline[0], baseline[1], insights[0], insights[1], buffer[0], buffer[1]);
    return row;
  }

  /** Heap before and after {@code traces} open traces whose spans a collector holds. */
  private static long[] spansThemselves(int traces) throws Exception {
    SpanCollector collector = new SpanCollector();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(collector).build();
    long empty = usedHeapAfterGc();
    makeOpenTraces(provider.get("memory"), 0, traces);
    long full = usedHeapAfterGc();
    check(collector.spans.size() == traces * CHILDREN_PER_TRACE, "collector holds too few");
    shutDown(provider);
    return new long[] {empty, full};
  }

  /**
   * The same with Trace Insights beside the collector, the spans buffered; also the buffer's own
   * estimate of their size. Spans are made in chunks the analysis thread takes in before the next.
   */
  private static long[] spansWithInsights(int traces) throws Exception {
    SpanCollector collector = new SpanCollector();
    TraceInsightsSpanProcessor insights = insightsProcessor(AssemblyLimits.defaults());
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(collector).addSpanProcessor(insights).build();
    AssemblyStats stats = insights.stats();
    long empty = usedHeapAfterGc();
    offerInChunks(provider.get("memory"), stats, 0, traces);
    long full = usedHeapAfterGc();
    int spans = traces * CHILDREN_PER_TRACE;
    check(stats.bufferedSpans() == spans && collector.spans.size() == spans, "buffered " + stats);
    long estimated = stats.bufferedBytes();
    shutDown(provider);
    return new long[] {empty, full, estimated};
  }

  /** Heap before and after a {@link LocalTraceBuffer} takes in span data made beforehand. */
  private static long[] spansInBufferAlone(int traces) throws Exception {
    SpanCollector collector = new SpanCollector();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(collector).build();
    makeOpenTraces(provider.get("memory"), 0, traces);
    List<SpanData> data = new ArrayList<>(collector.spans.size());
    collector.spans.forEach(span -> data.add(span.toSpanData()));
    LocalTraceBuffer buffer =
        new LocalTraceBuffer(
            AssemblyLimits.defaults(), new DiscardingSink(), new AssemblyCounters());
    long empty = usedHeapAfterGc();
    long now = System.nanoTime();
    for (SpanData span : data) {
      buffer.add(span, now);
    }
    long full = usedHeapAfterGc();
    check(buffer.bufferedSpans() == data.size(), "buffer holds " + buffer);
    shutDown(provider);
    return new long[] {empty, full};
  }

  /**
   * Offers open traces until {@code multiples[i] × maxTraces} have been offered, recording the heap
   * and the counters after each step.
   */
  private static List<Map<String, Object>> overload(int[] multiples) throws Exception {
    AssemblyLimits limits = AssemblyLimits.defaults();
    DiscardingSpanExporter exporter = new DiscardingSpanExporter();
    TraceInsightsSpanProcessor insights =
        TraceInsightsSpanProcessor.builder(BatchSpanProcessor.builder(exporter).build())
            .setAssemblyLimits(limits)
            .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(insights).build();
    Tracer tracer = provider.get("memory");
    AssemblyStats stats = insights.stats();
    long empty = usedHeapAfterGc();
    List<Map<String, Object>> steps = new ArrayList<>();
    int offered = 0;
    for (int multiple : multiples) {
      int target = multiple * limits.maxTraces();
      offerInChunks(tracer, stats, offered, target - offered);
      offered = target;
      // Exports what the batch processor still queues (released spans), so it holds none.
      provider.forceFlush().join(60, TimeUnit.SECONDS);
      long used = usedHeapAfterGc() - empty;
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("offeredTraces", offered);
      step.put("offeredSpans", (long) offered * CHILDREN_PER_TRACE);
      step.put("capacityMultiple", multiple);
      step.put("retainedHeapBytes", used);
      step.put("bufferedTraces", stats.bufferedTraces());
      step.put("bufferedSpans", stats.bufferedSpans());
      step.put("estimatedBufferedBytes", stats.bufferedBytes());
      Map<String, Long> released = new LinkedHashMap<>();
      stats
          .releasedSpans()
          .forEach((reason, count) -> released.put(reason.attributeValue(), count));
      step.put("releasedSpans", released);
      steps.add(step);
      System.err.println("overload step: " + step);
    }
    shutDown(provider);
    return steps;
  }

  /**
   * Shuts {@code provider} down and waits for the processors' threads to end, so that nothing of it
   * is reachable at the next heap reading.
   */
  private static void shutDown(SdkTracerProvider provider) throws InterruptedException {
    provider.shutdown().join(60, TimeUnit.SECONDS);
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (name.equals("traceinsights-analysis") || name.startsWith("BatchSpanProcessor")) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
  }

  /**
   * Makes {@code traces} open traces in chunks of 512 (4 608 spans, well inside the hand-off
   * queue), each taken in by the analysis thread before the next.
   */
  private static void offerInChunks(Tracer tracer, AssemblyStats stats, int first, int traces)
      throws InterruptedException {
    long before = taken(stats);
    for (int done = 0; done < traces; ) {
      int count = Math.min(512, traces - done);
      makeOpenTraces(tracer, first + done, count);
      done += count;
      awaitTaken(stats, before + (long) done * CHILDREN_PER_TRACE);
    }
  }

  private static TraceInsightsSpanProcessor insightsProcessor(AssemblyLimits limits) {
    return TraceInsightsSpanProcessor.builder(
            BatchSpanProcessor.builder(new DiscardingSpanExporter()).build())
        .setAssemblyLimits(limits)
        .build();
  }

  /**
   * Starts {@code count} traces whose local root never ends, each with {@link #CHILDREN_PER_TRACE}
   * ended database spans of five attributes; trace numbers start at {@code first}.
   */
  static void makeOpenTraces(Tracer tracer, int first, int count) {
    for (int trace = first; trace < first + count; trace++) {
      Span root =
          tracer
              .spanBuilder("GET /shop/orders")
              .setSpanKind(SpanKind.SERVER)
              .setNoParent()
              .startSpan();
      Context parent = Context.root().with(root);
      for (int child = 0; child < CHILDREN_PER_TRACE; child++) {
        tracer
            .spanBuilder("SELECT shop.order_items")
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(DB_SYSTEM, "h2")
            .setAttribute(DB_NAMESPACE, "shop")
            .setAttribute(
                DB_QUERY_TEXT, "SELECT product_id, quantity FROM order_items WHERE order_id = ?")
            .setAttribute(SERVER_ADDRESS, "db.internal")
            .setAttribute(SERVER_PORT, 9092L)
            .startSpan()
            .end();
      }
      // The root is never ended: its trace stays open (and the root itself becomes garbage).
    }
  }

  /** Waits until the analysis thread has taken in {@code spans} spans (buffered or released). */
  private static void awaitTaken(AssemblyStats stats, long spans) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (taken(stats) < spans) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the analysis thread did not take " + spans + ": " + stats);
      }
      Thread.sleep(5);
    }
  }

  private static long taken(AssemblyStats stats) {
    long released = 0;
    for (ReleaseReason reason : ReleaseReason.values()) {
      released += stats.releasedSpans(reason);
    }
    return stats.bufferedSpans() + released + stats.analyzedSpans() + stats.lateSpans();
  }

  /**
   * Heap in use right after a full collection, from the pools' collection usage: a plain reading of
   * used heap would also count the thread-local allocation buffers handed out since.
   */
  public static long usedHeapAfterGc() throws InterruptedException {
    long previous = -1;
    int equalReadings = 0;
    for (int i = 0; i < 20; i++) {
      System.gc();
      Thread.sleep(20);
      long used = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        if (pool.getType() == MemoryType.HEAP && afterGc != null) {
          used += afterGc.getUsed();
        }
      }
      equalReadings = used == previous ? equalReadings + 1 : 0;
      if (equalReadings == 2) {
        return used;
      }
      previous = used;
    }
    return previous;
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  /** Holds every ended span: the span itself, without anything Trace Insights adds. */
  private static final class SpanCollector implements SpanProcessor {
    final List<ReadableSpan> spans = new ArrayList<>();

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      spans.add(span);
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private static final class DiscardingSink implements LocalTraceSink {
    @Override
    public void complete(SpanData localRoot, List<SpanData> spans) {}

    @Override
    public void release(List<SpanData> spans, ReleaseReason reason) {}

    @Override
    public void late(SpanData span, @Nullable ReleaseReason earlierReason) {}
  }
}
