package io.ably.api.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.message.Message;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterTest {
  private static final String TRADES =
      "name = 'trade' AND headers.symbol IN ('AAPL','MSFT') AND headers.qty >= 100"
          + " AND NOT headers.test";

  private static Message msg(String name, String headersJson) {
    return Message.builder()
        .name(name)
        .extras(headersJson == null ? null : "{\"headers\":" + headersJson + "}")
        .build();
  }

  @Test
  void theSqlTextOfTheIssueParsesToTheTypedFilterAndRendersAsJmesPath() {
    Filter parsed = Filter.parse(TRADES);
    Filter typed =
        Filter.allOf(
            Field.NAME.eq("trade"),
            Field.header("symbol").in("AAPL", "MSFT"),
            Field.header("qty").ge(100),
            Field.header("test").truthy().negate());
    assertEquals(typed, parsed);
    assertEquals(
        "name == `\"trade\"` && (headers.symbol == `\"AAPL\"` || headers.symbol == `\"MSFT\"`)"
            + " && headers.qty >= `100` && !headers.test",
        parsed.toJmesPath());
    assertEquals(
        "name = 'trade' AND (headers.symbol = 'AAPL' OR headers.symbol = 'MSFT')"
            + " AND headers.qty >= 100 AND NOT headers.test",
        parsed.toSql());
  }

  @Test
  void theIssueFilterMatchesOnlyTradesOfTheListedSymbolsWithEnoughQuantityAndNoTestFlag() {
    Filter f = Filter.parse(TRADES);
    assertTrue(f.test(msg("trade", "{\"symbol\":\"AAPL\",\"qty\":100}")));
    assertTrue(f.test(msg("trade", "{\"symbol\":\"MSFT\",\"qty\":250.5,\"test\":false}")));
    assertFalse(f.test(msg("quote", "{\"symbol\":\"AAPL\",\"qty\":100}")));
    assertFalse(f.test(msg("trade", "{\"symbol\":\"IBM\",\"qty\":100}")));
    assertFalse(f.test(msg("trade", "{\"symbol\":\"AAPL\",\"qty\":99}")));
    assertFalse(f.test(msg("trade", "{\"symbol\":\"AAPL\",\"qty\":\"100\"}")), "typed: a string is no number");
    assertFalse(f.test(msg("trade", "{\"symbol\":\"AAPL\",\"qty\":100,\"test\":true}")));
    assertFalse(f.test(msg("trade", null)));
    assertTrue(f.predicate().test(msg("trade", "{\"symbol\":\"AAPL\",\"qty\":1E+3}")));
  }

  @Test
  void likeWithPercentAtTheEndIsAPrefixMatchGuardedByAStringTypeTest() {
    Filter f = Filter.parse("headers.symbol LIKE 'ABC%'");
    assertEquals(Field.header("symbol").startsWith("ABC"), f);
    assertEquals(
        "type(headers.symbol) == 'string' && starts_with(headers.symbol, `\"ABC\"`)",
        f.toJmesPath());
    assertEquals(Field.header("s").endsWith("X"), Filter.parse("headers.s LIKE '%X'"));
    assertEquals(Field.header("s").contains("X"), Filter.parse("headers.s like '%X%'"));
    assertEquals(Field.header("s").eq("X"), Filter.parse("headers.s LIKE 'X'"));
    assertEquals(Field.header("s").startsWith("X").negate(), Filter.parse("headers.s NOT LIKE 'X%'"));
    assertTrue(f.test(msg(null, "{\"symbol\":\"ABCD\"}")));
    assertFalse(f.test(msg(null, "{\"symbol\":123}")));
    assertFalse(f.test(msg(null, "{}")));
  }

  @Test
  void keysThatAreNotIdentifiersAndAwkwardTextsAreQuotedAndEscapedExactly() {
    Filter f = Field.header("my-key").eq("a`b\"c\\d\n");
    assertEquals("headers.\"my-key\" == `\"a\\u0060b\\\"c\\\\d\\u000a\"`", f.toJmesPath());
    assertEquals("headers.\"my-key\" = 'a`b\"c\\d\n'", f.toSql());
    assertEquals("headers.\"null\" != `null`", Field.header("null").exists().toJmesPath());
    assertEquals("name = 'it''s'", Field.NAME.eq("it's").toSql());
    assertEquals(Field.NAME.eq("it's"), Filter.parse("name = 'it''s'"));
    assertEquals(Field.header("a\"b").exists(), Filter.parse("headers.\"a\"\"b\" IS NOT NULL"));
  }

  @Test
  void presenceNullAndFunctionFormsParse() {
    assertEquals(Field.header("k").exists(), Filter.parse("WHERE headers.k IS NOT NULL"));
    assertEquals(Field.header("k").exists().negate(), Filter.parse("headers.k is null"));
    assertEquals(Field.header("k").contains("a%b"), Filter.parse("contains(headers.k, 'a%b')"));
    assertEquals(
        Field.NAME.in("a", "b").negate(), Filter.parse("name NOT IN ('a', 'b')"));
    assertEquals(
        new Filter.Or(List.of(Field.NAME.eq("a"), Field.NAME.eq("b").and(Field.NAME.ne(1)))),
        Filter.parse("name == 'a' OR name = 'b' AND name <> 1"));
  }

  @Test
  void equalityIsTypedAndOrderingComparesNumbersOnly() {
    assertTrue(Field.header("n").eq(100).test(msg(null, "{\"n\":100.0}")), "numbers as doubles");
    assertFalse(Field.header("n").eq(100).test(msg(null, "{\"n\":\"100\"}")));
    assertFalse(Field.header("n").eq("100").test(msg(null, "{\"n\":100}")));
    assertTrue(Field.header("n").ne("x").test(msg(null, "{}")), "missing is not equal");
    assertFalse(Field.header("n").gt(1).test(msg(null, "{\"n\":\"5\"}")));
    assertTrue(Field.header("n").truthy().test(msg(null, "{\"n\":0}")), "0 is truthy in JMESPath");
    assertFalse(Field.header("n").truthy().test(msg(null, "{\"n\":\"\"}")));
    assertFalse(Field.header("n").truthy().test(msg(null, "{\"n\":[]}")));
    assertFalse(Field.header("n").exists().test(msg(null, "{\"n\":null}")));
    assertTrue(Field.header("b").eq(true).test(msg(null, "{\"b\":true}")));
    assertTrue(Field.header("u").eq("é").test(msg(null, "{\"u\":\"\\u00e9\"}")));
    AblyException e =
        assertThrows(
            AblyException.class,
            () -> new Filter.Compare(Field.NAME, Op.LT, new Literal.Text("b")));
    assertEquals(40003, e.code());
    assertTrue(e.getMessage().contains("numbers only"), e.getMessage());
  }

  private static FilterSyntaxException refused(String text) {
    return assertThrows(FilterSyntaxException.class, () -> Filter.parse(text));
  }

  @Test
  void syntaxErrorsPointAtTheColumnAndSayWhatWasExpected() {
    FilterSyntaxException e = refused("name = ");
    assertEquals(8, e.column());
    assertEquals(40003, e.code());
    assertTrue(e.getMessage().contains("column 8: expected a literal"), e.getMessage());

    e = refused("headers.qty >= 'ten'");
    assertEquals(16, e.column());
    assertTrue(e.expected().contains("a number"), e.expected());

    e = refused("name = 'a' AND");
    assertEquals(15, e.column());
    assertTrue(e.getMessage().contains("found the end of the text"), e.getMessage());

    e = refused("data = 'x'");
    assertEquals(1, e.column());
    assertTrue(e.expected().contains("name or headers.<key>"), e.expected());

    e = refused("name = 'a' name = 'b'");
    assertEquals(12, e.column());
    assertTrue(e.expected().contains("AND, OR"), e.expected());

    e = refused("(name = 'a'");
    assertEquals(12, e.column());
    assertTrue(e.expected().contains("')' to close the '(' at column 1"), e.expected());

    e = refused("headers.s LIKE 'A%B'");
    assertEquals(18, e.column());

    e = refused("name = 'open");
    assertEquals(13, e.column());
    assertTrue(e.getMessage().contains("opened at column 8"), e.getMessage());

    e = refused("'x' = name");
    assertEquals(1, e.column());
    assertTrue(e.expected().contains("on the left"), e.expected());

    e = refused("name = NULL");
    assertTrue(e.expected().contains("IS NULL"), e.expected());

    e = refused("headers.q # 1");
    assertEquals(11, e.column());
  }

  @Test
  void projectionsAggregatesAndGroupingAreRefusedWithTheReason() {
    FilterSyntaxException e = refused("SELECT name FROM quotes WHERE name = 'a'");
    assertEquals(1, e.column());
    assertTrue(e.getMessage().contains("projections"), e.getMessage());

    e = refused("count(name) > 3");
    assertTrue(e.getMessage().contains("aggregate functions (count) are not supported"), e.getMessage());

    e = refused("name = 'a' GROUP BY name");
    assertEquals(12, e.column());
    assertTrue(e.getMessage().contains("GROUP is not supported"), e.getMessage());

    e = refused("name = 'a' ORDER BY name LIMIT 5");
    assertTrue(e.getMessage().contains("ORDER is not supported"), e.getMessage());

    e = refused("*");
    assertTrue(e.getMessage().contains("projections (*)"), e.getMessage());
  }

  @Test
  void numbersKeepTheirWrittenScaleAndRenderAsJsonNumbers() {
    Filter f = Filter.parse("headers.px < 1.50 OR headers.px > 1E+3");
    assertEquals(
        Field.header("px").compare(Op.LT, new BigDecimal("1.50"))
            .or(Field.header("px").compare(Op.GT, new BigDecimal("1E+3"))),
        f);
    assertEquals("headers.px < `1.50` || headers.px > `1E+3`", f.toJmesPath());
  }

  @Test
  void aMalformedOrHeaderlessExtrasIsFilteredAsAnEmptyHeadersObject() {
    Filter absent = Field.header("k").exists().negate();
    assertTrue(absent.test(Message.builder().extras("{not json").build()));
    assertTrue(absent.test(Message.builder().extras("{\"headers\":\"x\"}").build()));
    assertTrue(absent.test(Message.builder().extras("{\"push\":{}}").build()));
    assertTrue(absent.test(Message.builder().build()));
  }
}
