package dev.traceinsights.harness;

import static dev.traceinsights.semconv.InsightAttributes.SPAN_ALLOCATED_BYTES;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_BOTTLENECK;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_BOTTLENECK_CATEGORY;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_CRITICAL_PATH_NS;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_COUNT;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_STATEMENT;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_N_PLUS_ONE_VIA;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_ROOT_CAUSE;
import static dev.traceinsights.semconv.InsightAttributes.SPAN_SELF_TIME_NS;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_BOTTLENECK_CATEGORY;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_DURATION_NS;
import static dev.traceinsights.semconv.InsightAttributes.TRACE_ROOT_CAUSE_ERROR_TYPE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the extension's attributes say about a set of traces, read back from a Zipkin API:
 * bottlenecks, root causes, N+1 queries and top allocators, grouped by service and span name.
 * Tolerant of missing attributes, so it also tells a user whose extension is not loaded.
 */
public final class InsightSummary {

  private static final String ATTRIBUTE_PREFIX = "traceinsights.";

  /**
   * The bottleneck of requests to {@code endpoint} (the local root's name): which span, its
   * category, and its self time's average share of the local trace.
   */
  public record Bottleneck(
      String service,
      String endpoint,
      String spanName,
      String category,
      double averageShare,
      int traces) {}

  /** A span found to be where a trace's failure started, with the exception type. */
  public record RootCause(String service, String spanName, String errorType, int traces) {}

  /**
   * A parent span under which the same statement ran {@code count} times (the most seen), through
   * the spans named in {@code via} (empty when they were its direct children).
   */
  public record NPlusOne(
      String service, String spanName, String statement, long count, int traces, String via) {}

  /**
   * A span and what it allocated itself (its allocated bytes minus its children's), on average over
   * the traces it appeared in.
   */
  public record Allocator(String service, String spanName, long averageSelfBytes, int traces) {}

  private final int traceCount;
  private final int analysedSpans;
  private final List<Bottleneck> bottlenecks;
  private final List<RootCause> rootCauses;
  private final List<NPlusOne> nPlusOnes;
  private final List<Allocator> allocators;

  private InsightSummary(
      int traceCount,
      int analysedSpans,
      List<Bottleneck> bottlenecks,
      List<RootCause> rootCauses,
      List<NPlusOne> nPlusOnes,
      List<Allocator> allocators) {
    this.traceCount = traceCount;
    this.analysedSpans = analysedSpans;
    this.bottlenecks = bottlenecks;
    this.rootCauses = rootCauses;
    this.nPlusOnes = nPlusOnes;
    this.allocators = allocators;
  }

  /** Summarises {@code traces} (each counted once even if fetched twice). */
  public static InsightSummary of(List<ZipkinTrace> traces) {
    Map<String, ZipkinTrace> unique = new LinkedHashMap<>();
    traces.forEach(trace -> unique.putIfAbsent(trace.traceId(), trace));

    Map<List<String>, List<Double>> bottleneckShares = new LinkedHashMap<>();
    Map<List<String>, Integer> rootCauseCounts = new LinkedHashMap<>();
    Map<List<String>, NPlusOne> nPlusOnes = new LinkedHashMap<>();
    Map<List<String>, List<Long>> selfBytes = new LinkedHashMap<>();
    int analysed = 0;

    for (ZipkinTrace trace : unique.values()) {
      for (ZipkinSpan span : trace.spans()) {
        if (span.tags().keySet().stream().anyMatch(key -> key.startsWith(ATTRIBUTE_PREFIX))) {
          analysed++;
        }
        Optional<ZipkinSpan> localRoot = trace.localRoot(span.serviceName());
        String service = span.serviceName();

        if (span.booleanTag(SPAN_BOTTLENECK.getKey())) {
          String category =
              span.tag(SPAN_BOTTLENECK_CATEGORY.getKey())
                  .or(() -> localRoot.flatMap(r -> r.tag(TRACE_BOTTLENECK_CATEGORY.getKey())))
                  .orElse("?");
          String endpoint = localRoot.map(ZipkinSpan::name).orElse("?");
          bottleneckShares
              .computeIfAbsent(
                  List.of(service, endpoint, span.name(), category), k -> new ArrayList<>())
              .add(share(span, localRoot));
        }
        if (span.booleanTag(SPAN_ROOT_CAUSE.getKey())) {
          String type =
              span.event("exception")
                  .map(event -> String.valueOf(event.attributes().get("exception.type")))
                  .or(() -> localRoot.flatMap(r -> r.tag(TRACE_ROOT_CAUSE_ERROR_TYPE.getKey())))
                  .orElse("(no exception recorded)");
          rootCauseCounts.merge(List.of(service, span.name(), type), 1, Integer::sum);
        }
        Optional<Long> repeated = span.longTag(SPAN_N_PLUS_ONE_COUNT.getKey());
        if (repeated.isPresent()) {
          String statement = span.tag(SPAN_N_PLUS_ONE_STATEMENT.getKey()).orElse("?");
          String via = span.tag(SPAN_N_PLUS_ONE_VIA.getKey()).orElse("");
          nPlusOnes.merge(
              List.of(service, span.name(), statement),
              new NPlusOne(service, span.name(), statement, repeated.get(), 1, via),
              (a, b) ->
                  new NPlusOne(
                      a.service(),
                      a.spanName(),
                      a.statement(),
                      Math.max(a.count(), b.count()),
                      a.traces() + 1,
                      a.via()));
        }
        Optional<Long> bytes = span.longTag(SPAN_ALLOCATED_BYTES.getKey());
        if (bytes.isPresent()) {
          long children =
              trace.childrenOf(span).stream()
                  .mapToLong(child -> child.longTag(SPAN_ALLOCATED_BYTES.getKey()).orElse(0L))
                  .sum();
          selfBytes
              .computeIfAbsent(List.of(service, span.name()), k -> new ArrayList<>())
              .add(Math.max(0, bytes.get() - children));
        }
      }
    }

    List<Bottleneck> bottlenecks = new ArrayList<>();
    bottleneckShares.forEach(
        (key, shares) ->
            bottlenecks.add(
                new Bottleneck(
                    key.get(0),
                    key.get(1),
                    key.get(2),
                    key.get(3),
                    shares.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                    shares.size())));
    bottlenecks.sort(
        Comparator.comparing(Bottleneck::service)
            .thenComparing(Comparator.comparingDouble(Bottleneck::averageShare).reversed()));

    List<RootCause> rootCauses = new ArrayList<>();
    rootCauseCounts.forEach(
        (key, count) -> rootCauses.add(new RootCause(key.get(0), key.get(1), key.get(2), count)));
    rootCauses.sort(Comparator.comparingInt(RootCause::traces).reversed());

    List<Allocator> allocators = new ArrayList<>();
    selfBytes.forEach(
        (key, values) ->
            allocators.add(
                new Allocator(
                    key.get(0),
                    key.get(1),
                    (long) values.stream().mapToLong(Long::longValue).average().orElse(0),
                    values.size())));
    allocators.sort(Comparator.comparingLong(Allocator::averageSelfBytes).reversed());

    return new InsightSummary(
        unique.size(),
        analysed,
        List.copyOf(bottlenecks),
        List.copyOf(rootCauses),
        List.copyOf(nPlusOnes.values()),
        List.copyOf(allocators.subList(0, Math.min(5, allocators.size()))));
  }

  /**
   * The bottleneck's share of its local trace: its self time over the trace duration the extension
   * wrote on the local root (the {@code full} attribute level) or else over the root's duration
   * (Zipkin's microseconds), or, without a self time, its duration over the root's.
   */
  private static double share(ZipkinSpan span, Optional<ZipkinSpan> localRoot) {
    // The default attribute level writes the self time only where it differs from the span's
    // time on the critical path.
    Optional<Long> selfTime =
        span.longTag(SPAN_SELF_TIME_NS.getKey())
            .or(() -> span.longTag(SPAN_CRITICAL_PATH_NS.getKey()));
    Optional<Long> traceDuration =
        localRoot
            .flatMap(r -> r.longTag(TRACE_DURATION_NS.getKey()))
            .or(() -> localRoot.map(r -> r.duration() * 1000));
    if (selfTime.isPresent() && traceDuration.isPresent() && traceDuration.get() > 0) {
      return (double) selfTime.get() / traceDuration.get();
    }
    long rootDuration = localRoot.map(ZipkinSpan::duration).orElse(0L);
    return rootDuration > 0 ? (double) span.duration() / rootDuration : 0;
  }

  public int traceCount() {
    return traceCount;
  }

  /** Spans that carry the extension's per-span analysis. */
  public int analysedSpans() {
    return analysedSpans;
  }

  /** By service, then largest average share first. */
  public List<Bottleneck> bottlenecks() {
    return bottlenecks;
  }

  public List<RootCause> rootCauses() {
    return rootCauses;
  }

  public List<NPlusOne> nPlusOnes() {
    return nPlusOnes;
  }

  /** The five largest, by average self-allocated bytes. */
  public List<Allocator> allocators() {
    return allocators;
  }

  /** A few lines for a terminal. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("What Trace Insights found in ").append(traceCount).append(" traces\n");
    if (analysedSpans == 0) {
      out.append("  no analysis attributes found — is the extension loaded?\n");
      return out.toString();
    }
    section(
        out,
        "Bottlenecks (per endpoint: the span, its category, its self time's share of the request)",
        bottlenecks,
        b ->
            String.format(
                Locale.ROOT,
                "%s  %s -> %s  %s  %.0f%%  (%d traces)",
                b.service(),
                b.endpoint(),
                b.spanName(),
                b.category(),
                100 * b.averageShare(),
                b.traces()));
    section(
        out,
        "Root causes of errors",
        rootCauses,
        r ->
            String.format(
                Locale.ROOT,
                "%s  %s  %s  (%d traces)",
                r.service(),
                r.spanName(),
                r.errorType(),
                r.traces()));
    section(
        out,
        "N+1 queries",
        nPlusOnes,
        n ->
            String.format(
                Locale.ROOT,
                "%s  %s  %d x \"%s\"%s  (%d traces)",
                n.service(),
                n.spanName(),
                n.count(),
                n.statement(),
                n.via().isEmpty() ? "" : " via " + n.via(),
                n.traces()));
    section(
        out,
        "Top allocators (bytes a span allocated itself, average)",
        allocators,
        a ->
            String.format(
                Locale.ROOT,
                "%s  %s  %s  (%d traces)",
                a.service(),
                a.spanName(),
                bytes(a.averageSelfBytes()),
                a.traces()));
    return out.toString();
  }

  private static <T> void section(
      StringBuilder out, String title, List<T> items, Function<T, String> line) {
    out.append(title).append('\n');
    if (items.isEmpty()) {
      out.append("  (none)\n");
    }
    items.forEach(item -> out.append("  ").append(line.apply(item)).append('\n'));
  }

  private static String bytes(long bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    if (bytes >= 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return bytes + " B";
  }

  @Override
  public String toString() {
    return "InsightSummary{traces=" + traceCount + ", analysedSpans=" + analysedSpans + "}";
  }
}
