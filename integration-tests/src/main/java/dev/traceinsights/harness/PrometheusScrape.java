package dev.traceinsights.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a Prometheus text-format endpoint (the javaagent's Prometheus metrics exporter),
 * reduced to what tests compare: samples with their name, labels and value. Comments ({@code #
 * HELP}, {@code # TYPE}) are skipped.
 */
public final class PrometheusScrape {

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One line of the exposition: {@code name{label="value",...} number}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  PrometheusScrape(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  public static PrometheusScrape of(URI metricsEndpoint) {
    HttpRequest request =
        HttpRequest.newBuilder(metricsEndpoint).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(metricsEndpoint + " answered " + response.statusCode());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("scraping " + metricsEndpoint + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scraping " + metricsEndpoint, e);
    }
  }

  static PrometheusScrape parse(String exposition) {
    List<Sample> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseSample(line));
    }
    return new PrometheusScrape(samples);
  }

  /** Samples named {@code name} whose labels include every entry of {@code labels}. */
  public List<Sample> find(String name, Map<String, String> labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet())) {
        found.add(sample);
      }
    }
    return found;
  }

  /** The sum over {@link #find}: 0 when nothing matches. */
  public double sum(String name, Map<String, String> labels) {
    double sum = 0;
    for (Sample sample : find(name, labels)) {
      sum += sample.value();
    }
    return sum;
  }

  public List<Sample> samples() {
    return samples;
  }

  private static Sample parseSample(String line) {
    int labelsStart = line.indexOf('{');
    int valueStart;
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    if (labelsStart >= 0) {
      name = line.substring(0, labelsStart);
      int i = labelsStart + 1;
      while (line.charAt(i) != '}') {
        int equals = line.indexOf('=', i);
        String label = line.substring(i, equals).strip();
        StringBuilder value = new StringBuilder();
        int j = equals + 2; // past ="
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char escaped = line.charAt(++j);
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      valueStart = i + 1;
    } else {
      int space = line.indexOf(' ');
      name = line.substring(0, space);
      valueStart = space;
    }
    String[] rest = line.substring(valueStart).strip().split("\\s+");
    return new Sample(name, labels, Double.parseDouble(rest[0]));
  }
}
