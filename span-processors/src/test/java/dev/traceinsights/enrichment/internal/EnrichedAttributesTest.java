package dev.traceinsights.enrichment.internal;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EnrichedAttributesTest {

  private static final AttributeKey<String> METHOD = stringKey("http.request.method");
  private static final AttributeKey<Long> ALLOCATED = longKey("traceinsights.span.allocated_bytes");
  private static final AttributeKey<Long> SELF_TIME = longKey("traceinsights.span.self_time_ns");

  @Test
  void servesRecordedThenAdded() {
    Attributes recorded = Attributes.of(METHOD, "GET", ALLOCATED, 10L);
    Attributes view = new EnrichedAttributes(recorded, new Object[] {SELF_TIME, 5L}, null);
    assertThat(view.size()).isEqualTo(3);
    assertThat(view.get(METHOD)).isEqualTo("GET");
    assertThat(view.get(SELF_TIME)).isEqualTo(5L);
    assertThat(view.asMap()).containsEntry(ALLOCATED, 10L).hasSize(3);
    assertThat(view).isEqualTo(recorded.toBuilder().put(SELF_TIME, 5L).build());
  }

  @Test
  void addedReplacesRecordedAndHiddenIsGone() {
    Attributes recorded = Attributes.of(METHOD, "GET", ALLOCATED, 10L, SELF_TIME, 1L);
    Attributes view = new EnrichedAttributes(recorded, new Object[] {SELF_TIME, 5L}, ALLOCATED);
    assertThat(view.size()).isEqualTo(2);
    assertThat(view.get(SELF_TIME)).isEqualTo(5L);
    assertThat(view.get(ALLOCATED)).isNull();
    List<AttributeKey<?>> keys = new ArrayList<>();
    view.forEach((key, value) -> keys.add(key));
    assertThat(keys).containsExactly(METHOD, SELF_TIME);
  }

  @Test
  void hidingAKeyThatIsNotThereChangesNothing() {
    Attributes recorded = Attributes.of(METHOD, "GET");
    Attributes view = new EnrichedAttributes(recorded, new Object[] {}, ALLOCATED);
    assertThat(view.size()).isEqualTo(1);
    assertThat(view.asMap()).isEqualTo(recorded.asMap());
  }

  /**
   * Against the SDK's own merge (what enrichment did before the view): the same entries, whatever
   * overlaps, and iteration, size, get and asMap agree with each other.
   */
  @Property(tries = 300)
  void agreesWithTheSdksMerge(
      @ForAll @IntRange(min = 0, max = 12) int recordedCount,
      @ForAll @IntRange(min = 0, max = 8) int addedCount,
      @ForAll @IntRange(min = 0, max = 20) int overlapSeed,
      @ForAll boolean hide) {
    AttributesBuilder recordedBuilder = Attributes.builder();
    for (int i = 0; i < recordedCount; i++) {
      recordedBuilder.put(longKey("k" + i), (long) i);
    }
    Attributes recorded = recordedBuilder.build();
    List<Object> added = new ArrayList<>();
    AttributesBuilder merged = recorded.toBuilder();
    for (int i = 0; i < addedCount; i++) {
      // Some added keys collide with recorded ones, depending on the seed.
      AttributeKey<Long> key = longKey("k" + ((overlapSeed + 3 * i) % 20));
      if (added.contains(key)) {
        continue;
      }
      added.add(key);
      added.add(100L + i);
      merged.put(key, 100L + i);
    }
    AttributeKey<Long> hidden = hide ? longKey("k" + (overlapSeed % 12)) : null;
    boolean hiddenIsAdded = hidden != null && added.contains(hidden);
    if (hidden != null && !hiddenIsAdded) {
      merged.remove(hidden);
    }
    Attributes expected = merged.build();

    Attributes view =
        new EnrichedAttributes(recorded, added.toArray(), hiddenIsAdded ? null : hidden);
    Map<AttributeKey<?>, Object> iterated = new LinkedHashMap<>();
    view.forEach(
        (key, value) -> assertThat(iterated.put(key, value)).as("served once: %s", key).isNull());
    assertThat(iterated).isEqualTo(expected.asMap());
    assertThat(view.size()).isEqualTo(expected.size());
    assertThat(view.isEmpty()).isEqualTo(expected.isEmpty());
    assertThat(view.asMap()).isEqualTo(expected.asMap());
    expected.forEach((key, value) -> assertThat(view.get(key)).isEqualTo(value));
  }
}
