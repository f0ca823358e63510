package dev.traceinsights.extension;

import dev.traceinsights.analysis.BottleneckCategory;
import dev.traceinsights.tail.TailSampler;
import dev.traceinsights.tail.TailSamplerBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The {@code traceinsights.tail.*} keys: which complete local traces are exported. */
record TailSamplingConfig(
    boolean enabled,
    boolean keepErrors,
    Duration slowThreshold,
    double slowPercentile,
    Set<BottleneckCategory> bottleneckCategories,
    boolean keepNPlusOne,
    int rareThreshold,
    double probability,
    double maxPerSecond) {

  static final String ENABLED = "traceinsights.tail.enabled";
  static final String ERRORS = "traceinsights.tail.errors";
  static final String SLOW_THRESHOLD = "traceinsights.tail.slow.threshold";
  static final String SLOW_PERCENTILE = "traceinsights.tail.slow.percentile";
  static final String BOTTLENECK_CATEGORIES = "traceinsights.tail.bottleneck.categories";
  static final String N_PLUS_ONE = "traceinsights.tail.n-plus-one";
  static final String RARE_THRESHOLD = "traceinsights.tail.rare.threshold";
  static final String PROBABILITY = "traceinsights.tail.probability";
  static final String MAX_PER_SECOND = "traceinsights.tail.max-per-second";

  static TailSamplingConfig read(ConfigReader reader) {
    double percentile =
        reader.doubleIn(SLOW_PERCENTILE, TailSamplerBuilder.DEFAULT_SLOW_PERCENTILE, 0, 99.999);
    return new TailSamplingConfig(
        reader.bool(ENABLED, true),
        reader.bool(ERRORS, true),
        reader.duration(SLOW_THRESHOLD, TailSamplerBuilder.DEFAULT_SLOW_THRESHOLD, true),
        percentile,
        reader.enumSet(BOTTLENECK_CATEGORIES, Set.of(), categoriesByName()),
        reader.bool(N_PLUS_ONE, true),
        reader.intAtLeast(RARE_THRESHOLD, TailSamplerBuilder.DEFAULT_RARE_THRESHOLD, 0),
        reader.doubleIn(PROBABILITY, 0, 0, 1),
        reader.doubleAbove(MAX_PER_SECOND, TailSamplerBuilder.DEFAULT_MAX_KEPT_PER_SECOND, 0));
  }

  TailSampler toSampler() {
    return TailSampler.builder()
        .setKeepErrors(keepErrors)
        .setSlowThreshold(slowThreshold)
        .setSlowPercentile(slowPercentile)
        .setBottleneckCategories(bottleneckCategories)
        .setKeepNPlusOne(keepNPlusOne)
        .setRareThreshold(rareThreshold)
        .setProbability(probability)
        .setMaxKeptPerSecond(maxPerSecond)
        .build();
  }

  private static Map<String, BottleneckCategory> categoriesByName() {
    Map<String, BottleneckCategory> byName = new LinkedHashMap<>();
    for (BottleneckCategory category : BottleneckCategory.values()) {
      byName.put(category.attributeValue(), category);
    }
    return byName;
  }
}
