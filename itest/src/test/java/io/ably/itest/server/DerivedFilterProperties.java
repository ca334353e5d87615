package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.filter.Filter;
import io.ably.api.message.Message;
import io.ably.testsupport.FilterGenerators;
import io.ably.testsupport.PropertyCheck;
import io.burt.jmespath.Expression;
import io.burt.jmespath.jcf.JcfRuntime;
import org.junit.jupiter.api.Test;

/**
 * The differential proof that a filter's three faces agree (RTS5, RTL22): for random filters and
 * random messages, the testkit's real JMESPath evaluation of {@code toJmesPath()} (what the
 * service runs) selects exactly the messages the compiled predicate selects, and the SQL-like text
 * of a filter parses back to the same filter.
 */
class DerivedFilterProperties {
  private static final JcfRuntime JMESPATH = new JcfRuntime();

  @Test
  void theServiceSideJmesPathResultEqualsTheCompiledPredicateForEveryFilterAndMessage() {
    int[] outcomes = new int[2];
    PropertyCheck.forAll(20_000, FilterGenerators.cases(),
            c -> {
              Filter filter = c.filter();
              Message message = c.message();
              Expression<Object> compiled;
              try {
                compiled = DerivedFilter.compile(filter.toJmesPath());
              } catch (DerivedFilter.Invalid e) {
                throw new AssertionError("the service would refuse " + filter.toJmesPath(), e);
              }
              // Strict: an evaluation error (a JMESPath type error) fails the property here.
              boolean service = JMESPATH.isTruthy(compiled.search(DerivedFilter.input(message)));
              outcomes[service ? 1 : 0]++;
              assertEquals(
                  service,
                  filter.test(message),
                  () -> filter.toJmesPath() + " on name=" + message.name()
                      + " extras=" + message.extras());
            });
    // Not a vacuous agreement: thousands of cases, both outcomes common among them.
    int total = outcomes[0] + outcomes[1];
    System.out.printf(
        "differential: %d distinct (filter, message) cases, %d matched, %d did not%n",
        total, outcomes[1], outcomes[0]);
    assertTrue(total >= 20_000, "cases run: " + total);
    assertTrue(outcomes[1] > total / 5, "matches: " + outcomes[1] + " of " + total);
    assertTrue(outcomes[0] > total / 5, "non-matches: " + outcomes[0] + " of " + total);
  }

  @Test
  void theSqlTextOfARandomFilterParsesBackToTheSameFilter() {
    PropertyCheck.forAll(10_000, FilterGenerators.filters(), f -> assertEquals(f, Filter.parse(f.toSql()), f.toSql()));
  }

  @Test
  void theRenderedJmesPathOfEveryRandomFilterCompilesWithTheServicesGrammar() {
    PropertyCheck.forAll(10_000, FilterGenerators.filters(),
            f -> {
              try {
                DerivedFilter.compile(f.toJmesPath());
              } catch (DerivedFilter.Invalid e) {
                throw new AssertionError(f.toJmesPath(), e);
              }
            });
  }
}
