package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The ably-common interoperability payloads (RSL6a1): each wire form, as a JSON REST body gives
 * it, decodes to the expected string, JSON object or array, or bytes; and encoding that user form
 * again gives the same wire form.
 */
@Tag("RSL4")
@Tag("RSL6a")
@Tag("RSL6a1")
class MessagesEncodingFixturesTest {

  @TestFactory
  List<DynamicTest> messagesDecodeToTheExpectedValueAndEncodeBackRSL4RSL6a() {
    List<DynamicTest> tests = new ArrayList<>();
    forEachItem("messages-encoding.json", (name, item) -> tests.add(dynamicTest(name, () -> {
      Message wire =
          Message.builder().data(wireData(item)).encoding(item.getString("encoding")).build();

      PayloadEncoder.Decoded<Message> decoded = PayloadEncoder.decode(wire, null);
      assertNull(decoded.error(), "decode error");
      assertNull(decoded.message().encoding(), "encoding left");
      assertExpectedValue(item, decoded.message().data());

      Message again = PayloadEncoder.encode(decoded.message(), null);
      assertJsonTransportForm(item, again.data(), again.encoding());
    })));
    return tests;
  }

  @TestFactory
  List<DynamicTest> presenceMessagesDecodeToTheExpectedValueAndEncodeBackRSL4RSL6a() {
    List<DynamicTest> tests = new ArrayList<>();
    forEachItem("presence-messages-encoding.json", (name, item) -> tests.add(dynamicTest(name, () -> {
      PresenceAction action = PresenceAction.fromWire(item.getIntValue("action"));
      PresenceMessage wire =
          new PresenceMessage(
              null, action, "client", null, wireData(item), item.getString("encoding"), null, 0);

      PayloadEncoder.Decoded<PresenceMessage> decoded = PayloadEncoder.decode(wire, null);
      assertNull(decoded.error(), "decode error");
      assertNull(decoded.message().encoding(), "encoding left");
      assertEquals(item.getIntValue("action"), decoded.message().action().wireValue());
      assertEquals("client", decoded.message().clientId());
      assertExpectedValue(item, decoded.message().data());

      PresenceMessage again = PayloadEncoder.encode(decoded.message(), null);
      assertEquals(item.getIntValue("action"), again.action().wireValue());
      assertJsonTransportForm(item, again.data(), again.encoding());
    })));
    return tests;
  }

  private interface ItemTest {
    void add(String name, JSONObject item);
  }

  private static void forEachItem(String file, ItemTest test) {
    JSONArray items = Fixtures.json(file).getJSONArray("messages");
    assertEquals(5, items.size(), file + " items");
    for (int i = 0; i < items.size(); i++) {
      JSONObject item = items.getJSONObject(i);
      test.add(
          "item " + i + ": " + item.getString("expectedType") + ", encoding "
              + item.getString("encoding"),
          item);
    }
  }

  private static MessageData wireData(JSONObject item) {
    return MessageData.text(item.getString("data"));
  }

  private static void assertExpectedValue(JSONObject item, MessageData data) {
    String type = item.getString("expectedType");
    switch (type) {
      case "string" ->
          assertEquals(
              item.getString("expectedValue"),
              assertInstanceOf(MessageData.Text.class, data).value());
      case "jsonObject", "jsonArray" -> {
        String json = assertInstanceOf(MessageData.Json.class, data).json();
        assertEquals(item.getString("data"), json, "JSON text kept as received");
        Object parsed = JSON.parse(json);
        Class<?> expectedClass = type.equals("jsonObject") ? JSONObject.class : JSONArray.class;
        assertInstanceOf(expectedClass, parsed);
        assertEquals(item.get("expectedValue"), parsed);
      }
      case "binary" ->
          assertEquals(
              item.getString("expectedHexValue"),
              HexFormat.of().formatHex(assertInstanceOf(MessageData.Binary.class, data)
                  .toByteArray()));
      default -> throw new AssertionError("unknown expectedType " + type);
    }
  }

  /** Applies the JSON transport's base64 for binary (RSL4d1), as a codec does, and compares. */
  private static void assertJsonTransportForm(JSONObject item, MessageData data, String encoding) {
    String text;
    String transportEncoding = encoding;
    if (data instanceof MessageData.Binary binary) {
      text = Base64.getEncoder().encodeToString(binary.toByteArray());
      transportEncoding = encoding == null ? "base64" : encoding + "/base64";
    } else {
      text = assertInstanceOf(MessageData.Text.class, data).value();
    }
    assertEquals(item.getString("data"), text, "data");
    assertEquals(item.getString("encoding"), transportEncoding, "encoding");
  }
}
