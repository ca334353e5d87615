package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import io.ably.api.CipherParams;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The ably-common AES-CBC vectors (RSL5c), in both directions: every encrypted item decrypts to
 * the decoded form of its plain item, and encrypting that form with the fixture's IV gives the
 * encrypted item byte for byte. The items' {@code msgpack} fields are for the codec tests.
 */
@Tag("RSL5b")
@Tag("RSL5c")
@Tag("RSE1")
class CryptoFixturesTest {

  @TestFactory
  @Tag("RSL6a")
  List<DynamicTest> aes128ItemsDecryptToTheirPlainPayloadRSL6a() {
    return decryptTests("crypto-data-128.json", 128, 4);
  }

  @TestFactory
  @Tag("RSL6a")
  List<DynamicTest> aes256ItemsDecryptToTheirPlainPayloadRSL6a() {
    return decryptTests("crypto-data-256.json", 256, 74);
  }

  @TestFactory
  @Tag("RSL5a")
  List<DynamicTest> aes128EncryptionWithTheFixtureIvGivesTheFixtureBytesRSL5a() {
    return encryptTests("crypto-data-128.json", 128, 4);
  }

  @TestFactory
  @Tag("RSL5a")
  List<DynamicTest> aes256EncryptionWithTheFixtureIvGivesTheFixtureBytesRSL5a() {
    return encryptTests("crypto-data-256.json", 256, 74);
  }

  private static List<DynamicTest> decryptTests(String file, int keyLength, int itemCount) {
    Vectors v = Vectors.read(file, keyLength, itemCount);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < v.items.size(); i++) {
      JSONObject item = v.items.getJSONObject(i);
      Message encrypted = wireMessage(item.getJSONObject("encrypted"));
      tests.add(dynamicTest("item " + i + ": " + encrypted.encoding(), () -> {
        Message expected = userForm(item.getJSONObject("encoded"));
        PayloadEncoder.Decoded<Message> decoded =
            PayloadEncoder.decode(encrypted, ChannelCipher.of(v.params, v::fillIv));
        assertNull(decoded.error(), "decode error");
        assertEquals(expected, decoded.message());
      }));
    }
    return tests;
  }

  private static List<DynamicTest> encryptTests(String file, int keyLength, int itemCount) {
    Vectors v = Vectors.read(file, keyLength, itemCount);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < v.items.size(); i++) {
      JSONObject item = v.items.getJSONObject(i);
      JSONObject encrypted = item.getJSONObject("encrypted");
      tests.add(dynamicTest("item " + i + ": " + encrypted.getString("encoding"), () -> {
        Message user = userForm(item.getJSONObject("encoded"));
        Message wire = PayloadEncoder.encode(user, ChannelCipher.of(v.params, v::fillIv));
        MessageData.Binary bytes = assertInstanceOf(MessageData.Binary.class, wire.data());
        assertEquals(
            encrypted.getString("data"),
            Base64.getEncoder().encodeToString(bytes.toByteArray()),
            "IV ∥ ciphertext, base64");
        // The JSON transport's final base64 is the codec's; the fixture shows it.
        assertEquals(encrypted.getString("encoding"), wire.encoding() + "/base64");
        assertEquals(encrypted.getString("name"), wire.name());
      }));
    }
    return tests;
  }

  /** The message as a JSON REST response gives it: data a string, encoding as is. */
  static Message wireMessage(JSONObject json) {
    return Message.builder()
        .name(json.getString("name"))
        .text(json.getString("data"))
        .encoding(json.getString("encoding"))
        .build();
  }

  /** The plain item decoded without a cipher: a string, base64 binary or JSON. */
  private static Message userForm(JSONObject encoded) {
    PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wireMessage(encoded), null);
    assertNull(decoded.error(), "plain item decode error");
    assertNull(decoded.message().encoding());
    return decoded.message();
  }

  /** One fixture file: key, IV (base64) and items. */
  private record Vectors(CipherParams params, String ivBase64, JSONArray items) {
    static Vectors read(String file, int keyLength, int itemCount) {
      JSONObject json = Fixtures.json(file);
      assertEquals("aes", json.getString("algorithm"));
      assertEquals("cbc", json.getString("mode"));
      assertEquals(keyLength, json.getIntValue("keylength"));
      CipherParams params = CipherParams.aes(json.getString("key"));
      assertEquals(keyLength, params.keyLength());
      String iv = json.getString("iv");
      assertEquals(ChannelCipher.BLOCK_SIZE, Base64.getDecoder().decode(iv).length);
      JSONArray items = json.getJSONArray("items");
      assertEquals(itemCount, items.size(), file + " items");
      return new Vectors(params, iv, items);
    }

    /** The IV source of the fixture: always the fixture's IV. */
    void fillIv(byte[] target) {
      byte[] iv = Base64.getDecoder().decode(ivBase64);
      System.arraycopy(iv, 0, target, 0, iv.length);
    }
  }
}
