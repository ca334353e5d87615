package io.ably.itest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OsgiHeaderTest {
  @Test
  void absentOrBlankHeaderHasNoClauses() {
    assertTrue(OsgiHeader.parse(null).isEmpty());
    assertTrue(OsgiHeader.parse("  ").isEmpty());
  }

  @Test
  void commasAndSemicolonsInsideQuotesSeparateNothing() {
    List<OsgiHeader.Clause> clauses =
        OsgiHeader.parse(
            "io.ably.api.internal;io.ably.internal=true;version=\"0.1.0\";"
                + "mandatory:=\"io.ably.internal\";uses:=\"io.ably.api,io.ably.api.message\","
                + "io.ably.api;version=\"0.1.0\",io.ably.api.state;x=\"a;b\"");
    assertEquals(3, clauses.size());
    OsgiHeader.Clause internal = clauses.get(0);
    assertEquals(List.of("io.ably.api.internal"), internal.paths());
    assertEquals(Map.of("io.ably.internal", "true", "version", "0.1.0"), internal.attributes());
    assertEquals(
        Map.of("mandatory", "io.ably.internal", "uses", "io.ably.api,io.ably.api.message"),
        internal.directives());
    assertEquals(List.of("io.ably.api"), clauses.get(1).paths());
    assertEquals(Map.of("version", "0.1.0"), clauses.get(1).attributes());
    assertTrue(clauses.get(1).directives().isEmpty());
    assertEquals(Map.of("x", "a;b"), clauses.get(2).attributes());
  }

  @Test
  void directivesAreToldApartFromAttributesByTheirColon() {
    OsgiHeader.Clause clause = OsgiHeader.parse("p;resolution:=optional;resolution=x").get(0);
    assertEquals(Map.of("resolution", "optional"), clause.directives());
    assertEquals(Map.of("resolution", "x"), clause.attributes());
  }

  @Test
  void oneClauseMayNameSeveralPathsSharingItsParameters() {
    OsgiHeader.Clause clause = OsgiHeader.parse(" a.b ; c.d ;version=1.2").get(0);
    assertEquals(List.of("a.b", "c.d"), clause.paths());
    assertEquals(Map.of("version", "1.2"), clause.attributes());
  }

  @Test
  void typedAttributesAreStoredUnderTheirName() {
    OsgiHeader.Clause clause =
        OsgiHeader.parse("p;version:Version=\"1.0\";n:List<Long>=\"1,2\"").get(0);
    assertEquals(Map.of("version", "1.0", "n", "1,2"), clause.attributes());
  }

  @Test
  void backslashEscapesAQuoteInsideQuotes() {
    OsgiHeader.Clause clause = OsgiHeader.parse("p;a=\"say \\\"hi\\\", twice\",q").get(0);
    assertEquals(Map.of("a", "say \"hi\", twice"), clause.attributes());
    assertEquals(2, OsgiHeader.parse("p;a=\"say \\\"hi\\\", twice\",q").size());
  }

  @Test
  void listDirectiveValuesSplitIntoTrimmedItems() {
    assertEquals(List.of("a", "b.c"), OsgiHeader.splitList("a, b.c"));
    assertEquals(List.of("io.ably.internal"), OsgiHeader.splitList("io.ably.internal"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "p;a=\"open", // unterminated quote
        "p,,q", // empty clause
        "p,", // trailing comma
        "p;;q", // empty element
        "version=1", // no path
        "p;a=1;q", // path after a parameter
        "p;a=", // no value
        "p;a=1;a=2", // attribute twice
        "p;a=\"x\"y", // text after the closing quote
        "p;a=b c", // unquoted space
        "p q;a=1" // space inside a path
      })
  void malformedHeadersAreRejected(String header) {
    assertThrows(IllegalArgumentException.class, () -> OsgiHeader.parse(header));
  }
}
