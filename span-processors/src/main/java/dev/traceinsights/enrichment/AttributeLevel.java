package dev.traceinsights.enrichment;

import java.util.Locale;
import javax.annotation.Nullable;

/**
 * How much of the analysis travels on exported spans. Every attribute costs storage in the tracing
 * backend on every span it is on, so the default carries what answers the questions a trace is
 * opened for, on the spans they concern, and leaves to {@link #FULL} what the backend or its UI can
 * derive. The README's attribute tables say which level emits what.
 */
public enum AttributeLevel {
  /**
   * Markers on the spans they concern (bottleneck and its category, root cause, N+1 parent) and a
   * summary on the local root naming the bottleneck and the root cause.
   */
  MINIMAL,
  /**
   * The default: {@link #MINIMAL} plus the error chain and fingerprints, the bottleneck's own
   * figures, allocations from a threshold up, and on the local root the critical path, the totals
   * that are not zero and the shape when it is not {@code ok}.
   */
  STANDARD,
  /** Every figure on every analysed span, as the offline {@code analyze} output has them. */
  FULL;

  public static final AttributeLevel DEFAULT = STANDARD;

  /** The configuration value: {@code minimal}, {@code standard} or {@code full}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return configValue();
  }

  /** The level a configuration value names (case ignored), or null if none does. */
  @Nullable
  public static AttributeLevel fromConfigValue(String value) {
    for (AttributeLevel level : values()) {
      if (level.configValue().equalsIgnoreCase(value.trim())) {
        return level;
      }
    }
    return null;
  }
}
