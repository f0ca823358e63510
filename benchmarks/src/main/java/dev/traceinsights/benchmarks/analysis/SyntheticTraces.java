package dev.traceinsights.benchmarks.analysis;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.traceinsights.semconv.InsightAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic local traces shaped like a service's: a SERVER root, in-process INTERNAL spans that
 * nest (a random recursive tree, so depth grows like log n), and leaves that are database queries
 * (some repeated under one parent: N+1), HTTP calls and message sends; about 2 % of leaves fail
 * with an exception. Children of a span run one after another or, for some parents, in parallel.
 * In-process spans carry allocation measurements and thread names, as the capture processor writes
 * them. Spans are returned in the order they end, which is the order the analysis thread receives
 * them.
 */
public final class SyntheticTraces {

  private static final AttributeKey<String> DB_SYSTEM = stringKey("db.system");
  private static final AttributeKey<String> DB_QUERY_TEXT = stringKey("db.query.text");
  private static final AttributeKey<String> HTTP_METHOD = stringKey("http.request.method");
  private static final AttributeKey<String> URL_FULL = stringKey("url.full");
  private static final AttributeKey<Long> STATUS_CODE = longKey("http.response.status_code");
  private static final AttributeKey<String> MESSAGING_SYSTEM = stringKey("messaging.system");
  private static final AttributeKey<String> DESTINATION = stringKey("messaging.destination.name");

  private static final String[] QUERIES = {
    "SELECT id, name FROM products WHERE id = %d",
    "SELECT product_id, quantity FROM order_items WHERE order_id = %d",
    "SELECT blocked FROM cards WHERE number = '%d'",
    "UPDATE stock SET quantity = quantity - %d WHERE product_id = 17",
    "SELECT COUNT(*) FROM orders WHERE customer_id = %d",
    "INSERT INTO audit (event, at) VALUES ('checkout', %d)",
  };

  private static final Resource RESOURCE =
      Resource.getDefault()
          .merge(Resource.create(Attributes.of(stringKey("service.name"), "shop")));
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.create("dev.traceinsights.benchmarks");
  private static final long EPOCH_NANOS = 1_760_000_000_000_000_000L;

  private SyntheticTraces() {}

  /** A local trace of {@code spanCount} spans with trace id {@code traceId}, in end order. */
  public static List<SpanData> localTrace(int spanCount, String traceId, long seed) {
    if (spanCount < 1) {
      throw new IllegalArgumentException("spanCount must be positive");
    }
    SplittableRandom random = new SplittableRandom(seed);
    Kind[] kinds = new Kind[spanCount];
    int[] parents = new int[spanCount];
    String[] statements = new String[spanCount];
    // Spans that may have children: the root and INTERNAL spans.
    int[] containers = new int[spanCount];
    int containerCount = 0;
    kinds[0] = Kind.SERVER;
    parents[0] = -1;
    containers[containerCount++] = 0;
    int span = 1;
    while (span < spanCount) {
      int parent = containers[random.nextInt(containerCount)];
      double pick = random.nextDouble();
      if (pick < 0.45) {
        kinds[span] = Kind.INTERNAL;
        parents[span] = parent;
        containers[containerCount++] = span++;
      } else if (pick < 0.80) {
        // One query, or (one time in ten) the same query once per item: N+1.
        int repeats = random.nextInt(10) == 0 ? 6 + random.nextInt(10) : 1;
        String template = QUERIES[random.nextInt(QUERIES.length)];
        for (int r = 0; r < repeats && span < spanCount; r++) {
          kinds[span] = Kind.DATABASE;
          parents[span] = parent;
          statements[span] = String.format(Locale.ROOT, template, random.nextInt(100_000));
          span++;
        }
      } else if (pick < 0.95) {
        kinds[span] = Kind.HTTP_CLIENT;
        parents[span] = parent;
        span++;
      } else {
        kinds[span] = Kind.PRODUCER;
        parents[span] = parent;
        span++;
      }
    }

    long[] start = new long[spanCount];
    long[] end = new long[spanCount];
    layOut(parents, start, end, random);

    String[] spanIds = new String[spanCount];
    for (int i = 0; i < spanCount; i++) {
      spanIds[i] = String.format(Locale.ROOT, "%016x", (seed << 32) ^ (i + 1L) ^ 0x5a5a_0000_0000L);
    }
    SpanContext remoteParent =
        SpanContext.createFromRemoteParent(
            traceId, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

    List<SpanData> spans = new ArrayList<>(spanCount);
    for (int i = 0; i < spanCount; i++) {
      SpanContext context =
          SpanContext.create(traceId, spanIds[i], TraceFlags.getSampled(), TraceState.getDefault());
      SpanContext parent =
          parents[i] < 0
              ? remoteParent
              : SpanContext.create(
                  traceId, spanIds[parents[i]], TraceFlags.getSampled(), TraceState.getDefault());
      boolean failed =
          kinds[i] != Kind.SERVER && kinds[i] != Kind.INTERNAL && random.nextInt(50) == 0;
      AttributesBuilder attributes = Attributes.builder();
      List<EventData> events = List.of();
      String name;
      SpanKind kind;
      switch (kinds[i]) {
        case SERVER -> {
          name = "GET /shop/orders";
          kind = SpanKind.SERVER;
          attributes
              .put(HTTP_METHOD, "GET")
              .put(stringKey("http.route"), "/shop/orders")
              .put(STATUS_CODE, 200L);
          measured(attributes, random);
        }
        case INTERNAL -> {
          name = "OrderService.step" + (i % 17);
          kind = SpanKind.INTERNAL;
          measured(attributes, random);
        }
        case DATABASE -> {
          name = "SELECT shop";
          kind = SpanKind.CLIENT;
          attributes.put(DB_SYSTEM, "h2").put(DB_QUERY_TEXT, statements[i]);
        }
        case HTTP_CLIENT -> {
          name = "GET";
          kind = SpanKind.CLIENT;
          attributes
              .put(HTTP_METHOD, "GET")
              .put(URL_FULL, "http://inventory:8080/stock/" + random.nextInt(1000))
              .put(STATUS_CODE, failed ? 503L : 200L);
        }
        case PRODUCER -> {
          name = "orders publish";
          kind = SpanKind.PRODUCER;
          attributes.put(MESSAGING_SYSTEM, "kafka").put(DESTINATION, "orders");
        }
        default -> throw new AssertionError(kinds[i]);
      }
      if (failed) {
        events = List.of(exceptionEvent(end[i], random));
      }
      spans.add(
          TestSpanData.builder()
              .setSpanContext(context)
              .setParentSpanContext(parent)
              .setResource(RESOURCE)
              .setInstrumentationScopeInfo(SCOPE)
              .setName(name)
              .setKind(kind)
              .setStartEpochNanos(EPOCH_NANOS + start[i])
              .setEndEpochNanos(EPOCH_NANOS + end[i])
              .setAttributes(attributes.build())
              .setTotalAttributeCount(attributes.build().size())
              .setEvents(events)
              .setTotalRecordedEvents(events.size())
              .setStatus(failed ? StatusData.error() : StatusData.unset())
              .setHasEnded(true)
              .build());
    }
    spans.sort(Comparator.comparingLong(SpanData::getEndEpochNanos));
    return spans;
  }

  private static void measured(AttributesBuilder attributes, SplittableRandom random) {
    attributes
        .put(InsightAttributes.SPAN_ALLOCATED_BYTES, 1024L + random.nextInt(1 << 20))
        .put(InsightAttributes.THREAD_NAME, "http-worker-" + random.nextInt(4));
  }

  private static EventData exceptionEvent(long atNanos, SplittableRandom random) {
    String type =
        random.nextBoolean() ? "java.net.SocketTimeoutException" : "java.sql.SQLException";
    StringBuilder stack = new StringBuilder(type).append(": timed out after 2000 ms\n");
    for (int frame = 0; frame < 12; frame++) {
      stack
          .append("\tat dev.shop.Layer")
          .append(frame)
          .append(".call(Layer")
          .append(frame)
          .append(".java:")
          .append(10 + frame)
          .append(")\n");
    }
    return EventData.create(
        EPOCH_NANOS + atNanos,
        "exception",
        Attributes.builder()
            .put("exception.type", type)
            .put("exception.message", "timed out after " + (1000 + random.nextInt(2000)) + " ms")
            .put("exception.stacktrace", stack.toString())
            .build());
  }

  /**
   * Gives each span an interval inside its parent's, bottom-up: a leaf works 0.2 to 5 ms; a parent
   * works 50 µs to 1 ms itself, spread as gaps around its children, which run one after another or
   * (one parent in five) all at once. So every child lies strictly inside its parent however deep
   * the tree.
   */
  private static void layOut(int[] parents, long[] start, long[] end, SplittableRandom random) {
    int n = parents.length;
    long[] ownWork = new long[n];
    boolean[] parallel = new boolean[n];
    int[] childCount = new int[n];
    for (int i = 1; i < n; i++) {
      childCount[parents[i]]++;
    }
    for (int i = 0; i < n; i++) {
      parallel[i] = random.nextInt(5) == 0;
      ownWork[i] =
          childCount[i] == 0
              ? 200_000 + random.nextInt(4_800_000)
              : 50_000 + random.nextInt(950_000);
    }
    // A parent comes before its children, so walking backwards sees every child before its parent.
    long[] duration = new long[n];
    long[] childrenSum = new long[n];
    long[] childrenMax = new long[n];
    for (int i = n - 1; i >= 0; i--) {
      duration[i] = ownWork[i] + (parallel[i] ? childrenMax[i] : childrenSum[i]);
      if (i > 0) {
        childrenSum[parents[i]] += duration[i];
        childrenMax[parents[i]] = Math.max(childrenMax[parents[i]], duration[i]);
      }
    }
    long[] gap = new long[n];
    long[] cursor = new long[n];
    start[0] = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        int parent = parents[i];
        if (parallel[parent]) {
          start[i] = start[parent] + gap[parent];
        } else {
          start[i] = cursor[parent];
          cursor[parent] += duration[i] + gap[parent];
        }
      }
      end[i] = start[i] + duration[i];
      gap[i] = ownWork[i] / (parallel[i] ? 2 : childCount[i] + 1);
      cursor[i] = start[i] + gap[i];
    }
  }

  private enum Kind {
    SERVER,
    INTERNAL,
    DATABASE,
    HTTP_CLIENT,
    PRODUCER
  }
}
