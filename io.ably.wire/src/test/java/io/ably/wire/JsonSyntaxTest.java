package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("RSL4a")
class JsonSyntaxTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{}", "[]", " \t\r\n{ } ", "[1]", "[-0, 0.5, -1.25e+10, 3E-2, 1e5, 120]",
      "{\"a\":{\"b\":[true,false,null,\"x\"]}}", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"]",
      "[\"\u00e9\uD83D\uDE00\u2028\"]", "[[[[]]],{}]", "{\"\":\"\"}", "{\"a\" : 1 , \"a\" : 2}"
  })
  void acceptsStrictJsonObjectsAndArrays(String json) {
    assertTrue(JsonSyntax.isObjectOrArray(json), json);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "1", "\"s\"", "true", "null", "{", "[", "}", "]", "[1,]", "[,1]", "{\"a\":1,}",
      "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "[01]", "[-]", "[1.]", "[.5]", "[1e]", "[+1]",
      "[0x10]", "[NaN]", "[Infinity]", "[tru]", "[True]", "[\"\\x41\"]", "[\"\\u12G4\"]",
      "[\"\\u12\"]", "[\"a\nb\"]", "[\"unterminated]", "[/*c*/1]", "[1] x", "{}{}", "[1]]",
      "[1}", "{\"a\":1]", "[\"a\" \"b\"]", "[1 2]", "{\"a\":1 \"b\":2}", "[\u00a01]", "[1]\u0000"
  })
  void rejectsEverythingElse(String text) {
    assertFalse(JsonSyntax.isObjectOrArray(text), text);
  }

  @Test
  void deepNestingNeitherOverflowsTheStackNorFails() {
    int depth = 100_000;
    String json = "[".repeat(depth) + "{\"k\":1}" + "]".repeat(depth);
    assertTrue(JsonSyntax.isObjectOrArray(json));
    assertFalse(JsonSyntax.isObjectOrArray(json.substring(1)));
  }
}
