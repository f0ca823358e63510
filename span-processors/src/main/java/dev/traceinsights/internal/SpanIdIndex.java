package dev.traceinsights.internal;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * Maps span ids to their position in the input, with open addressing over plain arrays: one lookup
 * per parent link, no {@code Integer} boxing and no entry objects, which a {@code HashMap} would
 * allocate for every span of every trace.
 */
public final class SpanIdIndex {

  private final String[] keys;
  private final int[] values;
  private final int mask;
  private int size;

  /** An index with room for {@code expectedSize} ids at a load factor of at most one half. */
  public SpanIdIndex(int expectedSize) {
    int capacity = Integer.highestOneBit(Math.max(expectedSize, 1) * 2 - 1) << 1;
    keys = new String[capacity];
    values = new int[capacity];
    mask = capacity - 1;
  }

  /** Each span's id mapped to its position in {@code spans} (the first, for an id seen twice). */
  public static SpanIdIndex of(List<? extends SpanData> spans) {
    SpanIdIndex index = new SpanIdIndex(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      index.putIfAbsent(spans.get(i).getSpanId(), i);
    }
    return index;
  }

  /**
   * Maps {@code spanId} to {@code index} unless it is mapped already.
   *
   * @return the index {@code spanId} was already mapped to, or -1 if it was not
   */
  public int putIfAbsent(String spanId, int index) {
    int slot = slot(spanId);
    while (keys[slot] != null) {
      if (keys[slot].equals(spanId)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    if (size == mask) {
      // One slot must stay empty, or lookups of absent ids would never stop.
      throw new IllegalStateException("more span ids than the index was made for");
    }
    keys[slot] = spanId;
    values[slot] = index;
    size++;
    return -1;
  }

  /** Maps every id of {@code other} that is not mapped here yet, to its index there. */
  public void putAllAbsent(SpanIdIndex other) {
    for (int slot = 0; slot < other.keys.length; slot++) {
      if (other.keys[slot] != null) {
        putIfAbsent(other.keys[slot], other.values[slot]);
      }
    }
  }

  /** How many ids are mapped. */
  public int size() {
    return size;
  }

  /** The index of {@code spanId}, -1 when it is not in the trace. */
  public int get(String spanId) {
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
