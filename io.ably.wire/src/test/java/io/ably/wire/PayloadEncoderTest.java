package io.ably.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.CipherParams;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadEncoderTest {
  private static final CipherParams KEY_128 = CipherParams.aes("WUP6u0K7MXI5Zeo0VppPwg==");

  // ---- encoding ----

  @Test
  @Tag("RSL4")
  void textAndBinaryWithoutCipherAreSentAsTheyAreRSL4() {
    Message text = Message.ofText("e", "hi");
    Message binary = Message.of("e", MessageData.binary(new byte[] {1, 2}));

    assertSame(text, PayloadEncoder.encode(text, null));
    assertSame(binary, PayloadEncoder.encode(binary, null));
  }

  @Test
  @Tag("RSL4")
  void jsonIsSentAsItsTextWithJsonEncodingRSL4c3RSL4d3() {
    Message wire = PayloadEncoder.encode(Message.of("e", MessageData.json(" {\"a\": [1]} ")), null);

    assertEquals(MessageData.text(" {\"a\": [1]} "), wire.data());
    assertEquals("json", wire.encoding());
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "\"s\"", "null", "{'a':1}", "{\"a\":1", "[1,]", "", "[1] x"})
  @Tag("RSL4a")
  void jsonDataThatIsNotAnObjectOrArrayIsRejectedWith40013RSL4a(String json) {
    Message m = Message.of("e", MessageData.json(json));

    AblyException e = assertThrows(AblyException.class, () -> PayloadEncoder.encode(m, null));

    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), e.code());
    assertEquals(400, e.statusCode());
  }

  @Test
  @Tag("RSL4b")
  void tokensAreAppendedToAnEncodingTheMessageAlreadyHasRSL4b() {
    Message m = Message.builder().name("e").text("x").encoding("custom").build();

    Message wire = PayloadEncoder.encode(m, ChannelCipher.of(KEY_128));

    assertEquals("custom/utf-8/cipher+aes-128-cbc", wire.encoding());
  }

  @Test
  @Tag("RSL5a")
  void encryptedPresenceDataKeepsTheOtherFieldsRSL5a() {
    PresenceMessage user =
        new PresenceMessage(
            "id", PresenceAction.UPDATE, "c", "conn", MessageData.json("[1]"), null, "{}", 5);

    PresenceMessage wire = PayloadEncoder.encode(user, ChannelCipher.of(KEY_128));

    assertEquals("json/utf-8/cipher+aes-128-cbc", wire.encoding());
    assertEquals(user.withData(wire.data(), wire.encoding()), wire);
  }

  @Test
  void messagesWithoutDataAreUnchanged() {
    Message m = Message.of("e", null);
    assertSame(m, PayloadEncoder.encode(m, ChannelCipher.of(KEY_128)));
    assertSame(m, PayloadEncoder.decode(m, ChannelCipher.of(KEY_128)).message());
  }

  // ---- decoding ----

  @Test
  @Tag("RSL6a")
  void aBase64TokenAnywhereInTheChainIsDecodedRSL6a() {
    String inner = Base64.getEncoder().encodeToString("[\"x\"]".getBytes(UTF_8));
    Message wire =
        Message.builder()
            .text(Base64.getEncoder().encodeToString(inner.getBytes(UTF_8)))
            .encoding("json/utf-8/base64/base64")
            .build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertNull(decoded.error());
    assertEquals(MessageData.json("[\"x\"]"), decoded.message().data());
    assertNull(decoded.message().encoding());
  }

  @Test
  @Tag("RSL6a")
  void utf8OverTextIsAlreadyDecodedRSL6a() {
    Message wire = Message.builder().text("héllo").encoding("utf-8").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertTrue(decoded.complete());
    assertEquals(MessageData.text("héllo"), decoded.message().data());
  }

  @Test
  @Tag("RSL6b")
  void withoutCipherTheSpecExampleIsDeliveredAsBytesWithTheRestOfTheEncodingRSL6b() {
    byte[] payload = ChannelCipher.of(KEY_128).encrypt("x".getBytes(UTF_8));
    Message wire =
        Message.builder()
            .text(Base64.getEncoder().encodeToString(payload))
            .encoding("utf-8/cipher+aes-128-cbc/base64")
            .build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertEquals(MessageData.binary(payload), decoded.message().data());
    assertEquals("utf-8/cipher+aes-128-cbc", decoded.message().encoding());
    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
    assertTrue(decoded.error().getMessage().contains("no cipher"), decoded.error().getMessage());
  }

  @Test
  @Tag("RSL6b")
  void invalidBase64StopsWithTheBase64TokenLeftRSL6b() {
    Message wire = Message.builder().text("not base64!").encoding("utf-8/base64").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertEquals(wire, decoded.message());
    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
  }

  @Test
  @Tag("RSL6b")
  void malformedUtf8StopsWithTheBytesAndTheUtf8TokenLeftRSL6b() {
    byte[] bytes = {'a', (byte) 0xC3, 'b'};
    Message wire = Message.builder().binary(bytes).encoding("json/utf-8").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertEquals(wire, decoded.message());
    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
  }

  @Test
  @Tag("RSL6a")
  void aRealReplacementCharacterIsValidUtf8RSL6a() {
    Message wire = Message.builder().binary("a\uFFFDb".getBytes(UTF_8)).encoding("utf-8").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertTrue(decoded.complete(), () -> "" + decoded.error());
    assertEquals(MessageData.text("a\uFFFDb"), decoded.message().data());
  }

  @Test
  @Tag("RSL6b")
  void invalidJsonStopsAsTextWithTheJsonTokenLeftRSL6b() {
    Message wire = Message.builder().text("{'a':1}").encoding("json").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertEquals(wire, decoded.message());
    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
  }

  @Test
  @Tag("RSL6a")
  void receivedJsonTextIsKeptExactlyRSL6a() {
    String json = "{ \"b\" : 1.50 ,\"a\":[ ] }";
    Message wire = Message.builder().text(json).encoding("json").build();

    assertEquals(MessageData.json(json), PayloadEncoder.decode(wire, null).message().data());
  }

  @Test
  @Tag("RSL6b")
  void vcdiffIsLeftInTheEncodingAndReportedRSL6b() {
    Message wire = Message.builder().text("AQID").encoding("utf-8/vcdiff/base64").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertEquals("utf-8/vcdiff", decoded.message().encoding());
    assertEquals(MessageData.binary(new byte[] {1, 2, 3}), decoded.message().data());
    assertEquals(ErrorCode.MISSING_PLUGIN.code(), decoded.error().code());
  }

  @Test
  @Tag("RSL6b")
  void anUnknownTokenStopsDecodingAndIsNamedRSL6b() {
    Message wire = Message.builder().text("AQID").encoding("utf-8/gzip/base64").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertEquals("utf-8/gzip", decoded.message().encoding());
    assertTrue(decoded.error().getMessage().contains("'gzip'"), decoded.error().getMessage());
  }

  @Test
  @Tag("RSL6b")
  void aCorruptedPayloadIsReportedNotThrownRSL6b() {
    ChannelCipher cipher = ChannelCipher.of(KEY_128);
    Message wire = PayloadEncoder.encode(Message.ofText("e", "hello"), cipher);
    byte[] truncated = Arrays.copyOf(wire.data().toByteArray(), 40);
    Message bad = wire.toBuilder().binary(truncated).build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(bad, cipher);

    assertEquals(bad, decoded.message());
    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
    assertTrue(decoded.error().getMessage().contains("40 bytes"), decoded.error().getMessage());
  }

  @Test
  @Tag("RSL6b")
  void presenceMessagesStopTheSameWayRSL6b() {
    PresenceMessage wire =
        new PresenceMessage(
            null, PresenceAction.ENTER, "c", null, MessageData.text("AAAA"),
            "cipher+aes-256-cbc/base64", null, 0);

    PayloadEncoder.Decoded<PresenceMessage> decoded =
        PayloadEncoder.decode(wire, ChannelCipher.of(KEY_128));

    assertEquals("cipher+aes-256-cbc", decoded.message().encoding());
    assertEquals(MessageData.binary(new byte[3]), decoded.message().data());
    assertEquals(PresenceAction.ENTER, decoded.message().action());
    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
  }

  @Test
  void anEncodingOnAMessageWithoutDataIsDropped() {
    Message wire = Message.builder().name("e").encoding("json").build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertTrue(decoded.complete());
    assertEquals(Message.of("e", null), decoded.message());
  }
}
