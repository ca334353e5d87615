package io.ably.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.CipherParams;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("RSE1")
@Tag("RSL5b")
class ChannelCipherTest {
  private static final byte[] KEY_128 = sequence(16, 1);
  private static final byte[] KEY_256 = sequence(32, 7);

  @Test
  void eachMessageGetsAFreshRandomIvByDefaultRSL5b() {
    ChannelCipher cipher = ChannelCipher.of(CipherParams.aes(KEY_128));
    byte[] plain = "same text".getBytes(UTF_8);

    byte[] first = cipher.encrypt(plain);
    byte[] second = cipher.encrypt(plain);

    assertFalse(
        Arrays.equals(Arrays.copyOf(first, 16), Arrays.copyOf(second, 16)), "IVs differ");
    assertFalse(Arrays.equals(first, second), "payloads differ");
    assertArrayEquals(plain, cipher.decrypt(first));
    assertArrayEquals(plain, cipher.decrypt(second));
  }

  @Test
  void theIvSourceIsAskedOncePerMessageAndItsIvLeadsThePayload() {
    List<byte[]> handedOut = new ArrayList<>();
    ChannelCipher cipher =
        ChannelCipher.of(CipherParams.aes(KEY_256), iv -> {
          Arrays.fill(iv, (byte) handedOut.size());
          handedOut.add(iv.clone());
        });

    byte[] a = cipher.encrypt(new byte[3]);
    byte[] b = cipher.encrypt(new byte[3]);

    assertEquals(2, handedOut.size());
    assertArrayEquals(handedOut.get(0), Arrays.copyOf(a, 16));
    assertArrayEquals(handedOut.get(1), Arrays.copyOf(b, 16));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 100})
  void payloadIsIvThenAesCbcOfThePkcs7PaddedPlaintextRSE1(int length) throws Exception {
    byte[] iv = sequence(16, 99);
    byte[] plain = sequence(length, 3);
    ChannelCipher cipher =
        ChannelCipher.of(CipherParams.aes(KEY_256), target -> System.arraycopy(iv, 0, target, 0, 16));

    byte[] payload = cipher.encrypt(plain);

    int pad = 16 - length % 16; // PKCS#7: always 1..16 bytes
    byte[] padded = Arrays.copyOf(plain, length + pad);
    Arrays.fill(padded, length, padded.length, (byte) pad);
    byte[] expected = concat(iv, rawAesCbc(KEY_256, iv, padded));
    assertArrayEquals(expected, payload);
    assertArrayEquals(plain, cipher.decrypt(payload));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 15, 16, 31, 33, 47})
  void decryptRejectsPayloadsThatAreNotAnIvAndWholeBlocks(int length) {
    ChannelCipher cipher = ChannelCipher.of(CipherParams.aes(KEY_128));

    AblyException e = assertThrows(AblyException.class, () -> cipher.decrypt(new byte[length]));

    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), e.code());
  }

  @Test
  void decryptWithAnotherKeyOfTheSameLengthFailsOnThePadding() {
    byte[] payload =
        ChannelCipher.of(CipherParams.aes(KEY_128), iv -> Arrays.fill(iv, (byte) 5))
            .encrypt("secret".getBytes(UTF_8));
    ChannelCipher other = ChannelCipher.of(CipherParams.aes(sequence(16, 2)));

    AblyException e = assertThrows(AblyException.class, () -> other.decrypt(payload));

    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), e.code());
    assertTrue(e.getMessage().contains("aes-128-cbc"), e.getMessage());
  }

  @Test
  void keysOtherThan128Or256BitsAreRejectedRSE1e() {
    AblyException e = assertThrows(AblyException.class, () -> CipherParams.aes(new byte[24]));
    assertEquals(ErrorCode.INVALID_PARAMETER.code(), e.code());
  }

  @Test
  @Tag("RSL6b")
  void aMessageEncryptedWithAes256IsNotDecryptedByAnAes128ChannelRSL6b() {
    Message wire =
        PayloadEncoder.encode(
            Message.ofText("e", "hello"), ChannelCipher.of(CipherParams.aes(KEY_256)));

    PayloadEncoder.Decoded<Message> decoded =
        PayloadEncoder.decode(wire, ChannelCipher.of(CipherParams.aes(KEY_128)));

    assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), decoded.error().code());
    assertEquals("utf-8/cipher+aes-256-cbc", decoded.message().encoding());
    assertEquals(wire.data(), decoded.message().data());
    assertTrue(decoded.error().getMessage().contains("aes-128-cbc"), decoded.error().getMessage());
  }

  @Test
  void theEncodingTokenNamesTheKeyLength() {
    assertEquals("cipher+aes-128-cbc", ChannelCipher.of(CipherParams.aes(KEY_128)).encodingToken());
    assertEquals("cipher+aes-256-cbc", ChannelCipher.of(CipherParams.aes(KEY_256)).encodingToken());
  }

  @Test
  void toStringNamesTheAlgorithmButNotTheKey() {
    String text = ChannelCipher.of(CipherParams.aes(KEY_128)).toString();
    assertEquals("ChannelCipher[aes-128-cbc]", text);
  }

  @Test
  void theInputArraysAreNotModified() {
    ChannelCipher cipher = ChannelCipher.of(CipherParams.aes(KEY_128));
    byte[] plain = sequence(20, 1);
    byte[] payload = cipher.encrypt(plain);
    byte[] payloadCopy = payload.clone();

    cipher.decrypt(payload);

    assertArrayEquals(sequence(20, 1), plain);
    assertArrayEquals(payloadCopy, payload);
  }

  @Test
  void binaryDataIsEncryptedAsIsAndTextAsUtf8RSL5a() {
    byte[] iv = new byte[16];
    ChannelCipher cipher = ChannelCipher.of(CipherParams.aes(KEY_128), t -> Arrays.fill(t, (byte) 0));
    String text = "h\u00e9llo \uD83D\uDE00";

    Message fromText = PayloadEncoder.encode(Message.ofText("e", text), cipher);
    Message fromBytes =
        PayloadEncoder.encode(Message.of("e", MessageData.binary(text.getBytes(UTF_8))), cipher);

    assertEquals(fromText.data(), fromBytes.data(), "same plaintext bytes, same IV");
    assertEquals("utf-8/cipher+aes-128-cbc", fromText.encoding());
    assertEquals("cipher+aes-128-cbc", fromBytes.encoding());
    assertArrayEquals(iv, Arrays.copyOf(fromText.data().toByteArray(), 16));
  }

  private static byte[] rawAesCbc(byte[] key, byte[] iv, byte[] padded)
      throws GeneralSecurityException {
    Cipher raw = Cipher.getInstance("AES/CBC/NoPadding");
    raw.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    return raw.doFinal(padded);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] sequence(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed + 31 * i);
    }
    return bytes;
  }
}
