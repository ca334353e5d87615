package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alibaba.fastjson2.JSON;
import io.ably.api.CipherParams;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tag;

class PayloadEncoderProperties {

  // ---- round trips ----

  @Property
  @Tag("RSL4")
  @Tag("RSL6a")
  void decodeUndoesEncodeWithoutCipherRSL4RSL6a(@ForAll("payloads") MessageData data) {
    Message user = message(data);
    Message wire = PayloadEncoder.encode(user, null);
    assertFalse(wire.data() instanceof MessageData.Json, "wire data is text or binary");
    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);
    assertNull(decoded.error());
    assertEquals(user, decoded.message());
  }

  @Property
  @Tag("RSL5a")
  @Tag("RSL5b")
  @Tag("RSL6a")
  void decodeUndoesEncodeWithCipherRSL5aRSL5bRSL6a(
      @ForAll("payloads") MessageData data, @ForAll("keys") CipherParams params) {
    Message user = message(data);
    Message wire = PayloadEncoder.encode(user, ChannelCipher.of(params));
    MessageData.Binary payload = (MessageData.Binary) wire.data();
    assertTrue(wire.encoding().endsWith("cipher+aes-" + params.keyLength() + "-cbc"));
    assertEquals(0, payload.size() % 16);
    assertTrue(payload.size() >= 32);

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, ChannelCipher.of(params));
    assertNull(decoded.error());
    assertEquals(user, decoded.message());
  }

  @Property(tries = 300)
  @Tag("RSL5a")
  @Tag("RSL6a")
  void presenceDataRoundTripsWithCipherRSL5aRSL6a(
      @ForAll("payloads") MessageData data, @ForAll("keys") CipherParams params) {
    PresenceMessage user =
        new PresenceMessage("id:0:0", PresenceAction.ENTER, "client", "conn", data, null, null, 7);
    PresenceMessage wire = PayloadEncoder.encode(user, ChannelCipher.of(params));
    PayloadEncoder.Decoded<PresenceMessage> decoded =
        PayloadEncoder.decode(wire, ChannelCipher.of(params));
    assertNull(decoded.error());
    assertEquals(user, decoded.message());
  }

  // ---- decoding without the right key ----

  @Property(tries = 300)
  @Tag("RSL6b")
  void withoutCipherDecodingStopsAtTheCipherTokenAndReportsRSL6b(
      @ForAll("payloads") MessageData data, @ForAll("keys") CipherParams params) {
    Message wire = PayloadEncoder.encode(message(data), ChannelCipher.of(params));

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

    assertStoppedAtCipher(wire, decoded);
  }

  @Property
  @Tag("RSL6b")
  @Tag("RSE1")
  void withAWrongKeyDecodingStopsAtTheCipherTokenUnlessThePaddingHappensToBeValidRSL6b(
      @ForAll("payloads") MessageData data,
      @ForAll("keys") CipherParams sender,
      @ForAll("keys") CipherParams receiver) {
    Assume.that(!sender.equals(receiver)); // the right key is the round trip's case
    Message wire = PayloadEncoder.encode(message(data), ChannelCipher.of(sender));
    String cipherToken = "cipher+" + sender.cipherName();

    PayloadEncoder.Decoded<Message> decoded =
        PayloadEncoder.decode(wire, ChannelCipher.of(receiver));

    byte[] payload = ((MessageData.Binary) wire.data()).toByteArray();
    boolean sameLength = sender.keyLength() == receiver.keyLength();
    boolean validPadding = sameLength && paddingValid(receiver, payload);
    Statistics.collect(sameLength ? "same key length" : "other key length", validPadding);
    if (!validPadding) {
      assertStoppedAtCipher(wire, decoded);
    } else {
      // AES-CBC has no authentication: about 1 wrong key in 256 yields valid padding, and the
      // garbage is then decoded further. Decoding still must not throw or keep the cipher token.
      String left = decoded.message().encoding();
      assertTrue(left == null || !left.contains(cipherToken), left);
      assertNotEquals(message(data), decoded.message());
    }
  }

  // ---- corrupted input ----

  @Property
  @Tag("RSL6b")
  void corruptedCiphertextNeverThrowsOutOfDecodeRSL6b(
      @ForAll("payloads") MessageData data,
      @ForAll("keys") CipherParams params,
      @ForAll("corruptions") Corruption corruption) {
    Message wire = PayloadEncoder.encode(message(data), ChannelCipher.of(params));
    byte[] corrupted = corruption.apply(((MessageData.Binary) wire.data()).toByteArray());
    Message bad = wire.toBuilder().binary(corrupted).build();

    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(bad, ChannelCipher.of(params));

    assertConsistent(decoded);
  }

  @Property
  @Tag("RSL6b")
  void anyDataWithAnyChainDecodesWithoutThrowingRSL6b(
      @ForAll("wireData") MessageData data,
      @ForAll("chains") String encoding,
      @ForAll("maybeKeys") CipherParams params) {
    Message wire = Message.builder().data(data).encoding(encoding).build();

    PayloadEncoder.Decoded<Message> decoded =
        PayloadEncoder.decode(wire, params == null ? null : ChannelCipher.of(params));

    assertConsistent(decoded);
    String left = decoded.message().encoding();
    assertTrue(left == null || encoding.startsWith(left), "a prefix of the encoding is left");
  }

  // ---- helpers ----

  private static Message message(MessageData data) {
    return Message.builder().id("id:0").name("event").clientId("client").data(data).build();
  }

  private static void assertStoppedAtCipher(Message wire, PayloadEncoder.Decoded<Message> decoded) {
    assertNotNull(decoded.error(), "error reported");
    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
    assertEquals(wire.encoding(), decoded.message().encoding(), "whole chain left");
    assertEquals(wire.data(), decoded.message().data(), "ciphertext delivered as is");
  }

  /** An error is reported exactly when an encoding is left. */
  private static void assertConsistent(PayloadEncoder.Decoded<Message> decoded) {
    assertEquals(decoded.error() == null, decoded.message().encoding() == null, "" + decoded);
    if (decoded.error() != null) {
      assertTrue(
          decoded.error().code() == ErrorCode.INVALID_MESSAGE_DATA.code()
              || decoded.error().code() == ErrorCode.MISSING_PLUGIN.code(),
          decoded.error().toString());
    }
  }

  /** Decrypts without padding removal and checks PKCS#7 padding independently of the code. */
  private static boolean paddingValid(CipherParams key, byte[] payload) {
    try {
      Cipher raw = Cipher.getInstance("AES/CBC/NoPadding");
      raw.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key.key(), "AES"),
          new IvParameterSpec(payload, 0, 16));
      byte[] plain = raw.doFinal(payload, 16, payload.length - 16);
      int pad = plain[plain.length - 1] & 0xFF;
      if (pad < 1 || pad > 16) {
        return false;
      }
      for (int i = plain.length - pad; i < plain.length; i++) {
        if ((plain[i] & 0xFF) != pad) {
          return false;
        }
      }
      return true;
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** A change to a ciphertext payload. */
  record Corruption(String kind, int position, int value) {
    byte[] apply(byte[] payload) {
      int at = Math.floorMod(position, payload.length);
      return switch (kind) {
        case "flip" -> {
          byte[] copy = payload.clone();
          copy[at] ^= (byte) (1 + Math.floorMod(value, 255));
          yield copy;
        }
        case "truncate" -> Arrays.copyOf(payload, at);
        case "extend" -> Arrays.copyOf(payload, payload.length + 1 + Math.floorMod(value, 40));
        default -> throw new AssertionError(kind);
      };
    }
  }

  // ---- generators ----

  @Provide
  Arbitrary<Corruption> corruptions() {
    return Combinators.combine(
            Arbitraries.of("flip", "truncate", "extend"),
            Arbitraries.integers(),
            Arbitraries.integers())
        .as(Corruption::new);
  }

  @Provide
  Arbitrary<CipherParams> keys() {
    return Arbitraries.of(16, 32)
        .flatMap(length -> Arbitraries.bytes().array(byte[].class).ofSize(length))
        .map(CipherParams::aes);
  }

  @Provide
  Arbitrary<CipherParams> maybeKeys() {
    return keys().injectNull(0.3);
  }

  @Provide
  Arbitrary<MessageData> payloads() {
    return Arbitraries.oneOf(
        texts().map(MessageData::text),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(MessageData::binary),
        jsonTexts().map(MessageData::json));
  }

  /** Data as the codecs hand it over: text or binary, often base64 or ciphertext-like. */
  @Provide
  Arbitrary<MessageData> wireData() {
    return Arbitraries.oneOf(
        texts().map(MessageData::text),
        jsonTexts().map(MessageData::text),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(80).map(MessageData::binary),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(80)
            .map(b -> MessageData.text(Base64.getEncoder().encodeToString(b))));
  }

  /** Encoding chains of known and unknown tokens. */
  @Provide
  Arbitrary<String> chains() {
    return Arbitraries.of(
            "base64", "utf-8", "json", "cipher+aes-128-cbc", "cipher+aes-256-cbc", "vcdiff",
            "utf8", "", "cipher+aes-192-cbc", "gzip")
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(tokens -> String.join("/", tokens))
        .filter(s -> !s.isEmpty());
  }

  /** Any text, including astral code points (jqwik's default strings have no surrogates). */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> astral =
        Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0xD7FF),
                Arbitraries.integers().between(0xE000, 0x10FFFF))
            .list()
            .ofMaxSize(20)
            .map(cps -> cps.stream().map(Character::toString).collect(Collectors.joining()));
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), astral);
  }

  /** The text of small JSON objects and arrays, as fastjson2 writes them. */
  @Provide
  Arbitrary<String> jsonTexts() {
    Arbitrary<Object> scalars =
        Arbitraries.oneOf(
            texts().map(s -> (Object) s),
            Arbitraries.integers().map(i -> (Object) i),
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
            Arbitraries.<Object>just(null));
    Arbitrary<Object> values =
        Arbitraries.recursive(() -> scalars, PayloadEncoderProperties::containers, 0, 3);
    return containers(values).map(JSON::toJSONString);
  }

  private static Arbitrary<Object> containers(Arbitrary<Object> elements) {
    Arbitrary<Object> lists = elements.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
    Arbitrary<Object> maps =
        Combinators.combine(
                Arbitraries.strings().ofMaxLength(8).list().ofMaxSize(4),
                elements.list().ofSize(4))
            .as((List<String> keys, List<Object> vals) -> {
              Map<String, Object> map = new LinkedHashMap<>();
              for (int i = 0; i < keys.size(); i++) {
                map.put(keys.get(i), vals.get(i));
              }
              return (Object) map;
            });
    return Arbitraries.oneOf(lists, maps);
  }
}
