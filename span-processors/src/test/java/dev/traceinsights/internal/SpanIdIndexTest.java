package dev.traceinsights.internal;

import static dev.traceinsights.testing.TestSpans.id;
import static dev.traceinsights.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SpanIdIndexTest {

  @Test
  void mapsEachIdToItsFirstIndex() {
    SpanIdIndex index = new SpanIdIndex(2);

    assertThat(index.putIfAbsent("00000000000000a1", 0)).isEqualTo(-1);
    assertThat(index.putIfAbsent("00000000000000b2", 1)).isEqualTo(-1);
    assertThat(index.putIfAbsent("00000000000000a1", 7)).isEqualTo(0);

    assertThat(index.get("00000000000000a1")).isZero();
    assertThat(index.get("00000000000000b2")).isEqualTo(1);
    assertThat(index.get("00000000000000c3")).isEqualTo(-1);
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void ofSpansMapsEachIdToItsPosition() {
    SpanIdIndex index =
        SpanIdIndex.of(
            List.of(span("root").at(0, 10).build(), span("child").parent("root").at(1, 2).build()));

    assertThat(index.get(id("root"))).isZero();
    assertThat(index.get(id("child"))).isEqualTo(1);
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void putAllAbsentKeepsWhatIsThereAndAddsTheRest() {
    SpanIdIndex earlier = new SpanIdIndex(2);
    earlier.putIfAbsent("a", 0);
    earlier.putIfAbsent("b", 1);
    SpanIdIndex both = new SpanIdIndex(3);
    both.putIfAbsent("b", 5);

    both.putAllAbsent(earlier);

    assertThat(both.get("a")).isZero();
    assertThat(both.get("b")).isEqualTo(5);
    assertThat(both.size()).isEqualTo(2);
  }

  @Test
  void refusesToFillItsLastSlot() {
    SpanIdIndex index = new SpanIdIndex(1); // two slots
    index.putIfAbsent("a", 0);

    assertThatThrownBy(() -> index.putIfAbsent("b", 1)).isInstanceOf(IllegalStateException.class);
    assertThat(index.get("b")).isEqualTo(-1);
  }

  @Provide
  Arbitrary<List<String>> spanIds() {
    // A small alphabet and length make repeated ids and colliding slots common.
    return Arbitraries.strings()
        .withChars("0af")
        .ofMinLength(1)
        .ofMaxLength(3)
        .list()
        .ofMaxSize(200);
  }

  @Property(tries = 300)
  void agreesWithAHashMapOfFirstOccurrences(@ForAll("spanIds") List<String> ids) {
    SpanIdIndex index = new SpanIdIndex(ids.size());
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      Integer before = expected.putIfAbsent(ids.get(i), i);
      assertThat(index.putIfAbsent(ids.get(i), i)).isEqualTo(before == null ? -1 : before);
    }
    for (String id : List.of("0", "a", "f", "00", "faf", "x")) {
      assertThat(index.get(id)).isEqualTo(expected.getOrDefault(id, -1));
    }
    assertThat(index.size()).isEqualTo(expected.size());
  }
}
