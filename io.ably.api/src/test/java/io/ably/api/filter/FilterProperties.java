package io.ably.api.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;

import io.ably.api.message.Message;
import org.junit.jupiter.api.Test;

/** Properties of the filter model over random filters and messages (QuickTheories). */
class FilterProperties {

  @Test
  void parsingTheSqlTextOfAnyFilterGivesBackTheSameFilter() {
    qt().withExamples(5_000)
        .forAll(FilterGenerators.filters())
        .checkAssert(f -> assertEquals(f, Filter.parse(f.toSql()), f.toSql()));
  }

  @Test
  void aNegatedFilterMatchesExactlyTheMessagesTheFilterDoesNot() {
    qt().withExamples(3_000)
        .forAll(FilterGenerators.filters(), FilterGenerators.messages())
        .checkAssert((f, m) -> assertEquals(!f.test(m), f.negate().test(m)));
  }

  @Test
  void aFilterMatchesWhatItsParsedSqlTextMatches() {
    qt().withExamples(3_000)
        .forAll(FilterGenerators.filters(), FilterGenerators.messages())
        .checkAssert((f, m) -> assertEquals(f.test(m), Filter.parse(f.toSql()).test(m)));
  }

  @Test
  void aMessageWithoutHeadersMatchesAsOneWithAnEmptyHeadersObject() {
    qt().withExamples(3_000)
        .forAll(FilterGenerators.filters(), FilterGenerators.messages())
        .checkAssert(
            (f, m) -> {
              Message bare = m.toBuilder().extras(null).build();
              Message empty = m.toBuilder().extras("{\"headers\":{}}").build();
              assertEquals(f.test(bare), f.test(empty));
            });
  }

  @Test
  void theJmesPathOfAnyFilterIsOneLineWithBalancedParentheses() {
    qt().withExamples(3_000)
        .forAll(FilterGenerators.filters())
        .checkAssert(
            f -> {
              String j = f.toJmesPath();
              assertFalse(j.contains("\n"), j);
              int depth = 0;
              for (char c : j.replaceAll("`[^`]*`", "").toCharArray()) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
              }
              assertEquals(0, depth, j);
            });
  }
}
