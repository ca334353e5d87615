package io.ably.api.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ably.api.message.Message;
import io.ably.testsupport.FilterGenerators;
import io.ably.testsupport.PropertyCheck;
import org.junit.jupiter.api.Test;

/** Properties of the filter model over random filters and messages (QuickTheories). */
class FilterProperties {

  @Test
  void parsingTheSqlTextOfAnyFilterGivesBackTheSameFilter() {
    PropertyCheck.forAll(5_000, FilterGenerators.filters(), f -> assertEquals(f, Filter.parse(f.toSql()), f.toSql()));
  }

  @Test
  void aNegatedFilterMatchesExactlyTheMessagesTheFilterDoesNot() {
    PropertyCheck.forAll(3_000, FilterGenerators.cases(),
        c -> assertEquals(!c.filter().test(c.message()), c.filter().negate().test(c.message())));
  }

  @Test
  void aFilterMatchesWhatItsParsedSqlTextMatches() {
    PropertyCheck.forAll(3_000, FilterGenerators.cases(),
        c -> assertEquals(c.filter().test(c.message()), Filter.parse(c.filter().toSql()).test(c.message())));
  }

  @Test
  void aMessageWithoutHeadersMatchesAsOneWithAnEmptyHeadersObject() {
    PropertyCheck.forAll(3_000, FilterGenerators.cases(),
        c -> {
          Message bare = c.message().toBuilder().extras(null).build();
          Message empty = c.message().toBuilder().extras("{\"headers\":{}}").build();
          assertEquals(c.filter().test(bare), c.filter().test(empty));
        });
  }

  @Test
  void theJmesPathOfAnyFilterIsOneLineWithBalancedParentheses() {
    PropertyCheck.forAll(3_000, FilterGenerators.filters(),
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
