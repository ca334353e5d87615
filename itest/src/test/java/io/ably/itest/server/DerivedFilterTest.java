package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivedFilterTest {
  private static String derived(String expression, String params, String base) {
    return "[filter="
        + Base64.getEncoder().encodeToString(expression.getBytes(StandardCharsets.UTF_8))
        + params + "]" + base;
  }

  private static Message msg(String name, String extras) {
    return Message.builder().name(name).extras(extras).build();
  }

  @Test
  void rts5a1DerivedNameCarriesTheBase64FilterAndTheBaseChannel() throws Exception {
    DerivedFilter f = DerivedFilter.parse(derived("name == 'test'", "", "quotes"));
    assertEquals("quotes", f.base());
    assertEquals("name == 'test'", f.expression());
    assertEquals(Map.of(), f.params());
    assertTrue(f.matches(msg("test", null)));
    assertFalse(f.matches(msg("other", null)));
    assertNull(DerivedFilter.parse("quotes"));
    // The specification's worked example of RTS5a1.
    assertEquals(
        "[filter=bmFtZSA9PSAndGVzdCc=]quotes", derived("name == 'test'", "", "quotes"));
  }

  @Test
  void rts5a2ParamsInTheQualifierAreRead() throws Exception {
    DerivedFilter f = DerivedFilter.parse(derived("name == 'a'", "?rewind=1&delta=vcdiff", "q"));
    assertEquals(Map.of("rewind", "1", "delta", "vcdiff"), f.params());
    assertEquals("q", f.base());
  }

  @Test
  void onlyNameAndHeadersAreVisibleAndAMessageWithoutHeadersSeesAnEmptyObject() throws Exception {
    DerivedFilter data = DerivedFilter.parse(derived("data == 'x' || extras != null", "", "c"));
    assertFalse(data.matches(Message.builder().name("n").data(io.ably.api.message.MessageData.text("x"))
        .extras("{\"headers\":{}}").build()));
    DerivedFilter empty = DerivedFilter.parse(derived("headers == `{}`", "", "c"));
    assertTrue(empty.matches(msg("n", null)));
    assertTrue(empty.matches(msg("n", "{\"push\":{\"a\":1}}")));
    assertFalse(empty.matches(msg("n", "{\"headers\":{\"k\":1}}")));
    assertEquals(Map.of("name", "n", "headers", Map.of()), DerivedFilter.input(msg("n", null)));
  }

  @Test
  void theExpressionOfTheAblyJsTestSelectsByNameAndNumericHeader() throws Exception {
    DerivedFilter f =
        DerivedFilter.parse(derived("name == `\"filtered\"` && headers.number == `26095`", "", "c"));
    assertTrue(f.matches(msg("filtered", "{\"headers\":{\"name\":\"Lorem\",\"number\":26095}}")));
    assertFalse(f.matches(msg("filtered", "{\"headers\":{\"number\":12345}}")));
    assertFalse(f.matches(msg("filtered", null)));
    assertFalse(f.matches(msg("end", "{\"headers\":{\"number\":26095}}")));
  }

  @Test
  void anInvalidExpressionOrBase64IsRefusedWith40010() {
    DerivedFilter.Invalid bad =
        assertThrows(DerivedFilter.Invalid.class, () -> DerivedFilter.parse(derived("name ==", "", "c")));
    assertEquals(40010, bad.error.code());
    assertEquals(400, bad.error.statusCode());
    assertTrue(bad.error.message().contains("invalid derived channel filter expression"), bad.error.message());
    DerivedFilter.Invalid notBase64 =
        assertThrows(DerivedFilter.Invalid.class, () -> DerivedFilter.parse("[filter=@@@]c"));
    assertEquals(40010, notBase64.error.code());
    assertThrows(DerivedFilter.Invalid.class, () -> DerivedFilter.parse("[filter=abc"));
  }

  @Test
  void selectingKeepsTheOriginalIdsOfTheMessagesThatPass() throws Exception {
    DerivedFilter f = DerivedFilter.parse(derived("name == 'b'", "", "c"));
    List<Message> passed =
        f.select("conn:7", List.of(msg("a", null), msg("b", null), msg("c", null)));
    assertEquals(1, passed.size());
    assertEquals("conn:7:1", passed.get(0).id());
  }
}
