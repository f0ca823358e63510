package dev.traceinsights.internal;

/**
 * Decisions by trace id, as the SDK's {@code TraceIdRatioBasedSampler} makes them: the trace id's
 * last 16 hex digits read as a number, compared with {@code probability × Long.MAX_VALUE}. Every
 * process using the same probability makes the same choice for a trace, so the pieces of a trace
 * that several services keep fit together, and no random number generator is needed.
 */
public final class TraceIdRatio {

  private TraceIdRatio() {}

  /**
   * The bound a trace id's random part must stay under; as in the SDK's ratio sampler, 1.0 maps to
   * {@code Long.MAX_VALUE} exactly, to avoid double/long rounding there.
   */
  public static long upperBound(double probability) {
    return probability >= 1.0 ? Long.MAX_VALUE : (long) (probability * Long.MAX_VALUE);
  }

  /**
   * Whether the trace falls within the bound. {@code Math.abs(Long.MIN_VALUE)} stays negative and
   * counts as within, as in the SDK.
   *
   * @throws IllegalArgumentException when the id's last 16 characters are not hexadecimal
   */
  public static boolean includes(String traceId, long upperBound) {
    return Math.abs(randomPart(traceId)) < upperBound;
  }

  private static long randomPart(String traceId) {
    long value = 0;
    for (int i = traceId.length() - 16; i < traceId.length(); i++) {
      int digit = Character.digit(traceId.charAt(i), 16);
      if (digit < 0) {
        throw new IllegalArgumentException("trace id is not hexadecimal: " + traceId);
      }
      value = (value << 4) | digit;
    }
    return value;
  }
}
