package dev.traceinsights.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StatementShapesTest {

  @Test
  void aStatementSeenBeforeIsNotNormalisedAgain() {
    StatementShapes shapes = new StatementShapes();
    StatementShapes.Shape first = shapes.of("SELECT * FROM items WHERE order_id = 7");
    // An equal statement in another string, as a new span carries it.
    StatementShapes.Shape again = shapes.of(new String("SELECT * FROM items WHERE order_id = 7"));

    assertThat(again).isSameAs(first);
    assertThat(again.normalized()).isEqualTo("SELECT * FROM items WHERE order_id = ?");
    assertThat(again.write()).isFalse();
    assertThat(shapes.of("update items set n = 2 where id = 1").write()).isTrue();
  }

  @Test
  void aLongStatementIsNormalisedEveryTimeAndNotKept() {
    StatementShapes shapes = new StatementShapes();
    String huge =
        "INSERT INTO t VALUES " + "(1, 'x'), ".repeat(StatementShapes.MAX_STATEMENT_LENGTH / 8);

    StatementShapes.Shape shape = shapes.of(huge);

    assertThat(shape.normalized()).isEqualTo(SqlStatementNormalizer.normalize(huge));
    assertThat(shape.write()).isTrue();
    assertThat(shapes.of(huge)).isNotSameAs(shape);
    assertThat(shapes.remembered()).isZero();
  }

  @Test
  void remembersAtMostItsSlots() {
    StatementShapes shapes = new StatementShapes();
    for (int i = 0; i < 20 * StatementShapes.SLOTS; i++) {
      shapes.of("SELECT * FROM t" + i + " WHERE id = " + i);
    }
    assertThat(shapes.remembered()).isBetween(1, StatementShapes.SLOTS);
  }

  /** Whatever was remembered or replaced before, the answer is the normaliser's. */
  @Property(tries = 300)
  void answersWhatTheNormaliserAnswers(@ForAll("statements") List<String> statements) {
    // Four slots for a few hundred distinct statements: hits, misses and replacements all happen.
    StatementShapes shapes = new StatementShapes(4);
    for (String statement : statements) {
      StatementShapes.Shape shape = shapes.of(statement);
      String normalized = SqlStatementNormalizer.normalize(statement);
      assertThat(shape.statement()).isEqualTo(statement);
      assertThat(shape.normalized()).isEqualTo(normalized);
      assertThat(shape.write()).isEqualTo(SqlStatementNormalizer.isWrite(normalized));
    }
  }

  @Provide
  Arbitrary<List<String>> statements() {
    Arbitrary<String> verb =
        Arbitraries.of("SELECT * FROM", "DELETE FROM", "update", "insert into");
    Arbitrary<String> table =
        Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(2);
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 99).map(String::valueOf),
            Arbitraries.strings().withCharRange('a', 'c').ofMaxLength(3).map(v -> "'" + v + "'"),
            Arbitraries.just("?"));
    Arbitrary<String> statement =
        net.jqwik.api.Combinators.combine(verb, table, value)
            .as((v, t, x) -> v + " " + t + " WHERE id = " + x);
    // Few distinct statements, many repeats.
    return statement.list().ofMinSize(1).ofMaxSize(400);
  }
}
