package dev.traceinsights.analysis;

import static dev.traceinsights.analysis.SqlStatementNormalizer.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlStatementNormalizerTest {

  @Test
  void replacesStringAndNumericLiterals() {
    assertThat(normalize("select * from orders where id = 42 and status = 'NEW'"))
        .isEqualTo("select * from orders where id = ? and status = ?");
    assertThat(normalize("update t set price = 10.25, rate = 1e-3, mask = 0x1F where n = -7"))
        .isEqualTo("update t set price = ?, rate = ?-?, mask = ? where n = -?");
  }

  @Test
  void handlesEscapedQuotesAndUnterminatedLiterals() {
    assertThat(normalize("select 1 from t where name = 'O''Brien' and x = 'a'"))
        .isEqualTo("select ? from t where name = ? and x = ?");
    assertThat(normalize("select * from t where name = 'trunc"))
        .isEqualTo("select * from t where name = ?");
  }

  @Test
  void keepsIdentifiersWithDigitsAndQuotedIdentifiers() {
    assertThat(normalize("select t1.col_2, \"Order 1\", `x 2` from t1 where a = $1"))
        .isEqualTo("select t1.col_2, \"Order 1\", `x 2` from t1 where a = $1");
  }

  @Test
  void collapsesInListsWhateverTheirLength() {
    assertThat(normalize("select * from t where id in (1, 2, 3) and k IN('a','b')"))
        .isEqualTo("select * from t where id in (?) and k IN (?)");
    assertThat(normalize("select * from t where id IN ( ? , ? )"))
        .isEqualTo("select * from t where id IN (?)");
    // Not a placeholder list: left alone.
    assertThat(normalize("select * from t where id in (select id from u)"))
        .isEqualTo("select * from t where id in (select id from u)");
    assertThat(normalize("select min(a) from t")).isEqualTo("select min(a) from t");
  }

  @Test
  void collapsesWhitespaceTrimsAndKeepsCase() {
    assertThat(normalize("  SELECT *\n\tFROM   Orders\r\n WHERE Id = 5  "))
        .isEqualTo("SELECT * FROM Orders WHERE Id = ?");
  }

  @Test
  void equalForExecutionsDifferingOnlyInValues() {
    assertThat(normalize("select * from items where order_id = 17 and sku in ('a', 'b')"))
        .isEqualTo(normalize("select * from items where order_id = 2 and sku in ('c')"));
  }
}
