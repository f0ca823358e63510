package dev.traceinsights.analysis;

/**
 * Maps span ids to their position in the input, with open addressing over plain arrays: one lookup
 * per parent link, no {@code Integer} boxing and no entry objects, which a {@code HashMap} would
 * allocate for every span of every trace.
 */
final class SpanIdIndex {

  private final String[] keys;
  private final int[] values;
  private final int mask;

  /** An index with room for {@code expectedSize} ids at a load factor of at most one half. */
  SpanIdIndex(int expectedSize) {
    int capacity = Integer.highestOneBit(Math.max(expectedSize, 1) * 2 - 1) << 1;
    keys = new String[capacity];
    values = new int[capacity];
    mask = capacity - 1;
  }

  /**
   * Maps {@code spanId} to {@code index} unless it is mapped already.
   *
   * @return the index {@code spanId} was already mapped to, or -1 if it was not
   */
  int putIfAbsent(String spanId, int index) {
    int slot = slot(spanId);
    while (keys[slot] != null) {
      if (keys[slot].equals(spanId)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = spanId;
    values[slot] = index;
    return -1;
  }

  /** The index of {@code spanId}, -1 when it is not in the trace. */
  int get(String spanId) {
    int slot = slot(spanId);
    String key;
    while ((key = keys[slot]) != null) {
      if (key.equals(spanId)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private int slot(String spanId) {
    int hash = spanId.hashCode();
    // Span ids are random hex, but spread the high bits anyway in case a producer's are not.
    return (hash ^ (hash >>> 16)) & mask;
  }
}
