package dev.traceinsights.harness;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** All spans of one trace, as read back from a backend. */
public record ZipkinTrace(List<ZipkinSpan> spans) {

  public ZipkinTrace {
    spans = List.copyOf(spans);
  }

  public String traceId() {
    return spans.isEmpty() ? "" : spans.get(0).traceId();
  }

  public List<ZipkinSpan> spansOf(String serviceName) {
    return spans.stream().filter(span -> span.serviceName().equals(serviceName)).toList();
  }

  /**
   * The local root of {@code serviceName}'s part of the trace: its span whose parent is not one of
   * its own spans (absent, or in the calling service). The extension puts the trace summary there.
   */
  public Optional<ZipkinSpan> localRoot(String serviceName) {
    Map<String, ZipkinSpan> byId = byId();
    return spansOf(serviceName).stream()
        .filter(
            span -> {
              ZipkinSpan parent = span.parentId() == null ? null : byId.get(span.parentId());
              return parent == null || !parent.serviceName().equals(serviceName);
            })
        .findFirst();
  }

  public Optional<ZipkinSpan> find(Predicate<ZipkinSpan> predicate) {
    return spans.stream().filter(predicate).findFirst();
  }

  public List<ZipkinSpan> findAll(Predicate<ZipkinSpan> predicate) {
    return spans.stream().filter(predicate).toList();
  }

  public Optional<ZipkinSpan> named(String spanName) {
    return find(span -> span.isNamed(spanName));
  }

  public List<ZipkinSpan> childrenOf(ZipkinSpan parent) {
    return findAll(span -> parent.id().equals(span.parentId()));
  }

  public Optional<ZipkinSpan> span(String spanId) {
    return Optional.ofNullable(byId().get(spanId));
  }

  private Map<String, ZipkinSpan> byId() {
    return spans.stream()
        .collect(Collectors.toMap(ZipkinSpan::id, Function.identity(), (first, second) -> first));
  }
}
