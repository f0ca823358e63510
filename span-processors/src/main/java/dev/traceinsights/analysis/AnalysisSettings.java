package dev.traceinsights.analysis;

/**
 * Thresholds of the per-trace analysis. Defaults: depth warning above 15 levels, critical above 25;
 * fan-out warning above 50 children, critical above 100; N+1 from 5 repetitions.
 */
public record AnalysisSettings(
    int depthWarning,
    int depthCritical,
    int fanOutWarning,
    int fanOutCritical,
    int nPlusOneThreshold) {

  public static final int DEFAULT_DEPTH_WARNING = 15;
  public static final int DEFAULT_DEPTH_CRITICAL = 25;
  public static final int DEFAULT_FAN_OUT_WARNING = 50;
  public static final int DEFAULT_FAN_OUT_CRITICAL = 100;
  public static final int DEFAULT_N_PLUS_ONE_THRESHOLD = 5;

  public AnalysisSettings {
    requirePositive(depthWarning, "depthWarning");
    requirePositive(fanOutWarning, "fanOutWarning");
    if (depthCritical < depthWarning) {
      throw new IllegalArgumentException("depthCritical must not be below depthWarning");
    }
    if (fanOutCritical < fanOutWarning) {
      throw new IllegalArgumentException("fanOutCritical must not be below fanOutWarning");
    }
    if (nPlusOneThreshold < 2) {
      throw new IllegalArgumentException("nPlusOneThreshold must be at least 2");
    }
  }

  public static AnalysisSettings defaults() {
    return new AnalysisSettings(
        DEFAULT_DEPTH_WARNING,
        DEFAULT_DEPTH_CRITICAL,
        DEFAULT_FAN_OUT_WARNING,
        DEFAULT_FAN_OUT_CRITICAL,
        DEFAULT_N_PLUS_ONE_THRESHOLD);
  }

  public AnalysisSettings withDepthThresholds(int warning, int critical) {
    return new AnalysisSettings(
        warning, critical, fanOutWarning, fanOutCritical, nPlusOneThreshold);
  }

  public AnalysisSettings withFanOutThresholds(int warning, int critical) {
    return new AnalysisSettings(depthWarning, depthCritical, warning, critical, nPlusOneThreshold);
  }

  public AnalysisSettings withNPlusOneThreshold(int threshold) {
    return new AnalysisSettings(
        depthWarning, depthCritical, fanOutWarning, fanOutCritical, threshold);
  }

  private static void requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
