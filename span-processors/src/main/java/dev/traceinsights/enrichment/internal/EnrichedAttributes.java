package dev.traceinsights.enrichment.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.annotation.Nullable;

/**
 * A span's recorded attributes with Trace Insights' added ones, served as a view: nothing is
 * copied, merged or sorted. Merging into a new sorted set per exported span was half of the
 * analysis thread's time; exporters only iterate ({@code forEach} after {@code size}), so a view is
 * enough.
 *
 * <p>An added key replaces a recorded one of the same name, and one recorded key can be hidden (the
 * allocation capture's per-span attribute, below the attribute level's threshold). Iteration serves
 * the recorded attributes first, then the added ones in the order they were added.
 */
final class EnrichedAttributes implements Attributes {

  private final Attributes recorded;
  // Added keys and values, alternating: key0, value0, key1, value1, ...
  private final Object[] added;
  @Nullable private final AttributeKey<?> hidden;
  // True when iteration has to skip recorded entries (one is hidden or replaced).
  private final boolean filtered;
  private final int size;

  /**
   * @param added alternating keys and values, owned by this view from now on
   * @param hidden a recorded key not to serve, or null
   */
  EnrichedAttributes(Attributes recorded, Object[] added, @Nullable AttributeKey<?> hidden) {
    this.recorded = recorded;
    this.added = added;
    int skipped = 0;
    if (hidden != null && recorded.get(hidden) != null) {
      skipped++;
    } else {
      hidden = null;
    }
    this.hidden = hidden;
    for (int i = 0; i < added.length; i += 2) {
      AttributeKey<?> key = (AttributeKey<?>) added[i];
      if (!key.equals(hidden) && recorded.get(key) != null) {
        skipped++;
      }
    }
    this.filtered = skipped > 0;
    this.size = recorded.size() - skipped + added.length / 2;
  }

  @Override
  @Nullable
  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    int index = indexOfAdded(key);
    if (index >= 0) {
      return (T) added[index + 1];
    }
    if (key.equals(hidden)) {
      return null;
    }
    return recorded.get(key);
  }

  @Override
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    if (filtered) {
      recorded.forEach(
          (key, value) -> {
            if (!key.equals(hidden) && indexOfAdded(key) < 0) {
              consumer.accept(key, value);
            }
          });
    } else {
      recorded.forEach(consumer);
    }
    for (int i = 0; i < added.length; i += 2) {
      consumer.accept((AttributeKey<?>) added[i], added[i + 1]);
    }
  }

  /** Where {@code key} stands in {@link #added}, or -1. */
  private int indexOfAdded(AttributeKey<?> key) {
    for (int i = 0; i < added.length; i += 2) {
      if (added[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  @Override
  public AttributesBuilder toBuilder() {
    AttributesBuilder builder = Attributes.builder();
    forEach((key, value) -> putUnchecked(builder, key, value));
    return builder;
  }

  @SuppressWarnings("unchecked")
  private static void putUnchecked(AttributesBuilder builder, AttributeKey<?> key, Object value) {
    builder.put((AttributeKey<Object>) key, value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Attributes && asMap().equals(((Attributes) other).asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    forEach(
        (key, value) -> {
          if (out.length() > 1) {
            out.append(", ");
          }
          out.append(key).append('=').append(value);
        });
    return out.append('}').toString();
  }
}
