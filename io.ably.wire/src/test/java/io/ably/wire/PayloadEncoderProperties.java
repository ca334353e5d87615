package io.ably.wire;

import static io.ably.testsupport.Generators.lists;
import static io.ably.testsupport.Generators.orNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.Generate.byteArrays;
import static org.quicktheories.generators.Generate.bytes;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import com.alibaba.fastjson2.JSON;
import io.ably.api.CipherParams;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.testsupport.Generators;
import io.ably.testsupport.PropertyCheck;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of the payload encoding chain, with and without a cipher (QuickTheories). */
class PayloadEncoderProperties {

  // ---- round trips ----

  @Test
  @Tag("RSL4")
  @Tag("RSL6a")
  void decodeUndoesEncodeWithoutCipherRSL4RSL6a() {
    PropertyCheck.forAll(
        1_000,
        payloads(),
        data -> {
          Message user = message(data);
          Message wire = PayloadEncoder.encode(user, null);
          assertFalse(wire.data() instanceof MessageData.Json, "wire data is text or binary");
          PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);
          assertNull(decoded.error());
          assertEquals(user, decoded.message());
        });
  }

  record Encrypted(MessageData data, CipherParams key) {}

  @Test
  @Tag("RSL5a")
  @Tag("RSL5b")
  @Tag("RSL6a")
  void decodeUndoesEncodeWithCipherRSL5aRSL5bRSL6a() {
    PropertyCheck.forAll(
        1_000,
        payloads().zip(keys(), Encrypted::new),
        e -> {
          CipherParams params = e.key();
          Message user = message(e.data());
          Message wire = PayloadEncoder.encode(user, ChannelCipher.of(params));
          MessageData.Binary payload = (MessageData.Binary) wire.data();
          assertTrue(wire.encoding().endsWith("cipher+aes-" + params.keyLength() + "-cbc"));
          assertEquals(0, payload.size() % 16);
          assertTrue(payload.size() >= 32);

          PayloadEncoder.Decoded<Message> decoded =
              PayloadEncoder.decode(wire, ChannelCipher.of(params));
          assertNull(decoded.error());
          assertEquals(user, decoded.message());
        });
  }

  @Test
  @Tag("RSL5a")
  @Tag("RSL6a")
  void presenceDataRoundTripsWithCipherRSL5aRSL6a() {
    PropertyCheck.forAll(
        300,
        payloads().zip(keys(), Encrypted::new),
        e -> {
          PresenceMessage user =
              new PresenceMessage(
                  "id:0:0", PresenceAction.ENTER, "client", "conn", e.data(), null, null, 7);
          PresenceMessage wire = PayloadEncoder.encode(user, ChannelCipher.of(e.key()));
          PayloadEncoder.Decoded<PresenceMessage> decoded =
              PayloadEncoder.decode(wire, ChannelCipher.of(e.key()));
          assertNull(decoded.error());
          assertEquals(user, decoded.message());
        });
  }

  // ---- decoding without the right key ----

  @Test
  @Tag("RSL6b")
  void withoutCipherDecodingStopsAtTheCipherTokenAndReportsRSL6b() {
    PropertyCheck.forAll(
        300,
        payloads().zip(keys(), Encrypted::new),
        e -> {
          Message wire = PayloadEncoder.encode(message(e.data()), ChannelCipher.of(e.key()));

          PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);

          assertStoppedAtCipher(wire, decoded);
        });
  }

  record TwoKeys(MessageData data, CipherParams sender, CipherParams receiver) {}

  @Test
  @Tag("RSL6b")
  @Tag("RSE1")
  void withAWrongKeyDecodingStopsAtTheCipherTokenUnlessThePaddingHappensToBeValidRSL6b() {
    int[] validPaddings = {0};
    PropertyCheck.forAll(
        1_000,
        payloads()
            .zip(keys(), keys(), TwoKeys::new)
            .assuming(k -> !k.sender().equals(k.receiver())), // the right key is the round trip's
        k -> {
          CipherParams sender = k.sender();
          CipherParams receiver = k.receiver();
          Message wire = PayloadEncoder.encode(message(k.data()), ChannelCipher.of(sender));
          String cipherToken = "cipher+" + sender.cipherName();

          PayloadEncoder.Decoded<Message> decoded =
              PayloadEncoder.decode(wire, ChannelCipher.of(receiver));

          byte[] payload = ((MessageData.Binary) wire.data()).toByteArray();
          boolean sameLength = sender.keyLength() == receiver.keyLength();
          boolean validPadding = sameLength && paddingValid(receiver, payload);
          if (!validPadding) {
            assertStoppedAtCipher(wire, decoded);
          } else {
            // AES-CBC has no authentication: about 1 wrong key in 256 yields valid padding, and
            // the garbage is then decoded further. Decoding still must not throw or keep the
            // cipher token.
            validPaddings[0]++;
            String left = decoded.message().encoding();
            assertTrue(left == null || !left.contains(cipherToken), left);
            assertNotEquals(message(k.data()), decoded.message());
          }
        });
    System.out.println("wrong keys that gave valid padding: " + validPaddings[0]);
  }

  // ---- corrupted input ----

  record Corrupted(MessageData data, CipherParams key, Corruption corruption) {}

  @Test
  @Tag("RSL6b")
  void corruptedCiphertextNeverThrowsOutOfDecodeRSL6b() {
    PropertyCheck.forAll(
        1_000,
        payloads().zip(keys(), corruptions(), Corrupted::new),
        c -> {
          CipherParams params = c.key();
          Message wire = PayloadEncoder.encode(message(c.data()), ChannelCipher.of(params));
          byte[] corrupted =
              c.corruption().apply(((MessageData.Binary) wire.data()).toByteArray());
          Message bad = wire.toBuilder().binary(corrupted).build();

          PayloadEncoder.Decoded<Message> decoded =
              PayloadEncoder.decode(bad, ChannelCipher.of(params));

          assertConsistent(decoded);
        });
  }

  record Chained(MessageData data, String encoding, CipherParams key) {}

  @Test
  @Tag("RSL6b")
  void anyDataWithAnyChainDecodesWithoutThrowingRSL6b() {
    PropertyCheck.forAll(
        1_000,
        wireData().zip(chains(), orNull(30, keys()), Chained::new),
        c -> {
          Message wire = Message.builder().data(c.data()).encoding(c.encoding()).build();

          PayloadEncoder.Decoded<Message> decoded =
              PayloadEncoder.decode(wire, c.key() == null ? null : ChannelCipher.of(c.key()));

          assertConsistent(decoded);
          String left = decoded.message().encoding();
          assertTrue(left == null || c.encoding().startsWith(left), "a prefix of the encoding is left");
        });
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

  private static Gen<Corruption> corruptions() {
    return pick(List.of("flip", "truncate", "extend"))
        .zip(integers().all(), integers().all(), Corruption::new);
  }

  /** Any bytes, up to {@code maxSize} of them, printed as hex in a counterexample. */
  private static Gen<byte[]> anyBytes(int minSize, int maxSize) {
    return byteArrays(range(minSize, maxSize), bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
        .describedAs(b -> HexFormat.of().formatHex(b));
  }

  private static Gen<CipherParams> keys() {
    return pick(List.of(16, 32)).flatMap(length -> anyBytes(length, length)).map(CipherParams::aes);
  }

  private static Gen<MessageData> payloads() {
    return oneOf(
        texts().map(MessageData::text),
        anyBytes(0, 100).map(MessageData::binary),
        jsonTexts().map(MessageData::json));
  }

  /** Data as the codecs hand it over: text or binary, often base64 or ciphertext-like. */
  private static Gen<MessageData> wireData() {
    return oneOf(
        texts().map(MessageData::text),
        jsonTexts().map(MessageData::text),
        anyBytes(0, 80).map(MessageData::binary),
        anyBytes(0, 80).map(b -> MessageData.text(Base64.getEncoder().encodeToString(b))));
  }

  /** Encoding chains of known and unknown tokens. */
  private static Gen<String> chains() {
    Gen<String> tokens =
        pick(
            List.of(
                "base64", "utf-8", "json", "cipher+aes-128-cbc", "cipher+aes-256-cbc", "vcdiff",
                "utf8", "", "cipher+aes-192-cbc", "gzip"));
    return lists(tokens, 1, 5)
        .map(t -> String.join("/", t))
        .map(s -> s.isEmpty() ? "/" : s); // a chain of one empty token: two empty ones instead
  }

  /**
   * Any text: every UTF-16 unit but the surrogates (assigned or not), or any code point including
   * astral ones.
   */
  private static Gen<String> texts() {
    Gen<Character> bmp =
        oneOf(range(0, 0xD7FF), range(0xE000, 0xFFFF)).map(c -> (char) c.intValue());
    Gen<String> astral =
        lists(oneOf(range(0, 0xD7FF), range(0xE000, 0x10FFFF)), 0, 20)
            .map(
                cps -> {
                  StringBuilder b = new StringBuilder();
                  cps.forEach(b::appendCodePoint);
                  return b.toString();
                });
    return oneOf(Generators.strings(bmp, 40), astral);
  }

  /** The text of small JSON objects and arrays, as fastjson2 writes them. */
  private static Gen<String> jsonTexts() {
    Gen<Object> scalars =
        oneOf(
            texts().map(s -> (Object) s),
            integers().all().map(i -> (Object) i),
            doubles()
                .any()
                .map(d -> (Object) (Double.isInfinite(d) ? Math.copySign(Double.MAX_VALUE, d) : d)),
            booleans().all().map(b -> (Object) b),
            constant((Object) null));
    Gen<Object> values = scalars;
    for (int depth = 0; depth < 3; depth++) {
      values = oneOf(scalars, containers(values));
    }
    return containers(values).map(o -> JSON.toJSONString(o));
  }

  private static Gen<Object> containers(Gen<Object> elements) {
    Gen<Object> list = lists(elements, 0, 4).map(l -> (Object) new ArrayList<>(l));
    Gen<List<String>> keys =
        lists(Generators.strings(oneOf(range(0, 0xD7FF), range(0xE000, 0xFFFF)).map(c -> (char) c.intValue()), 8), 0, 4);
    Gen<Object> map =
        keys.zip(
            lists(elements, 4, 4),
            (List<String> ks, List<Object> vals) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              for (int i = 0; i < ks.size(); i++) {
                m.put(ks.get(i), vals.get(i));
              }
              return (Object) m;
            });
    return oneOf(list, map);
  }
}
