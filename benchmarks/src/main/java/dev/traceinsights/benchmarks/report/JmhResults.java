package dev.traceinsights.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The results of one JMH run ({@code -rf json}): per benchmark method and parameters, the primary
 * score and the secondary metrics (profilers, auxiliary counters).
 */
final class JmhResults {

  /**
   * One benchmark with one set of parameters.
   *
   * @param benchmark simple class name and method, e.g. {@code HotPathBenchmark.bare}
   * @param error half-width of the 99.9 % confidence interval, NaN when JMH had too few samples
   */
  record Result(
      String benchmark,
      Map<String, String> params,
      double score,
      double error,
      String unit,
      Map<String, Double> secondary) {

    double secondary(String name) {
      Double value = secondary.get(name);
      return value == null ? Double.NaN : value;
    }
  }

  private final List<Result> results;
  private final String jdk;

  private JmhResults(List<Result> results, String jdk) {
    this.results = results;
    this.jdk = jdk;
  }

  static JmhResults read(Path file) throws IOException {
    return parse(new ObjectMapper().readTree(file.toFile()));
  }

  static JmhResults parse(JsonNode root) {
    List<Result> results = new ArrayList<>();
    String jdk = "";
    for (JsonNode entry : root) {
      String fullName = entry.path("benchmark").asText();
      String[] parts = fullName.split("\\.");
      String benchmark =
          parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : fullName;
      Map<String, String> params = new TreeMap<>();
      entry
          .path("params")
          .fields()
          .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      JsonNode primary = entry.path("primaryMetric");
      Map<String, Double> secondary = new LinkedHashMap<>();
      entry
          .path("secondaryMetrics")
          .fields()
          .forEachRemaining(e -> secondary.put(e.getKey(), number(e.getValue().path("score"))));
      results.add(
          new Result(
              benchmark,
              params,
              number(primary.path("score")),
              number(primary.path("scoreError")),
              primary.path("scoreUnit").asText(),
              secondary));
      if (jdk.isEmpty()) {
        jdk =
            entry.path("vmName").asText()
                + " "
                + entry.path("vmVersion").asText()
                + " (JMH "
                + entry.path("jmhVersion").asText()
                + ")";
      }
    }
    return new JmhResults(results, jdk);
  }

  /** JMH writes "NaN" as a string where it has no number. */
  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    try {
      return Double.parseDouble(node.asText());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  List<Result> all() {
    return results;
  }

  String jdk() {
    return jdk;
  }

  /** The result of {@code benchmark} whose parameters include all of {@code params}. */
  Optional<Result> find(String benchmark, Map<String, String> params) {
    return results.stream()
        .filter(r -> r.benchmark().equals(benchmark))
        .filter(r -> r.params().entrySet().containsAll(params.entrySet()))
        .findFirst();
  }
}
