package io.ably.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ably-common cross-SDK MessagePack fixtures (PROTOCOL.md §10). In msgpack_test_fixtures.json
 * every item is a whole ProtocolMessage {@code {messages:[{data, encoding?}], msgSerial:0}} without
 * an action; "binary" items carry a str of base64 with encoding {@code base64}, which the decoder
 * turns into binary, and JSON items a str with encoding {@code json}.
 */
@Tag("RSL6a3")
class MsgpackFixturesTest {
  private static final ProtocolCodec MSGPACK = MsgpackProtocolCodec.INSTANCE;
  private static final ProtocolCodec JSON_CODEC = JsonProtocolCodec.INSTANCE;

  @TestFactory
  List<DynamicTest> eachMsgpackFixtureDecodesToItsExpectedPayloadRSL6a3() {
    JSONArray items = Fixtures.jsonArray("msgpack_test_fixtures.json");
    assertEquals(8, items.size());
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JSONObject item = items.getJSONObject(i);
      tests.add(DynamicTest.dynamicTest(item.getString("name"), () -> check(item)));
    }
    return tests;
  }

  private static void check(JSONObject item) {
    byte[] frame = Base64.getDecoder().decode(item.getString("msgpack"));
    ProtocolMessage m = MSGPACK.decode(frame);
    assertEquals(Action.HEARTBEAT, m.action(), "no action on the wire reads as wire value 0");
    assertEquals(0L, m.msgSerial());
    assertEquals(1, m.messages().size());
    Message msg = m.messages().get(0);
    int repeat = item.getIntValue("numRepeat");
    switch (item.getString("type")) {
      case "string" -> {
        assertEquals(MessageData.text(repeated(item, repeat)), msg.data());
        assertNull(msg.encoding());
      }
      case "binary" -> {
        // The str holds base64 of the repeated text; the transport token is removed on decode.
        assertEquals(MessageData.binary(repeated(item, repeat).getBytes(UTF_8)), msg.data());
        assertNull(msg.encoding());
      }
      default -> {
        assertEquals("json", msg.encoding());
        MessageData.Text text = assertInstanceOf(MessageData.Text.class, msg.data());
        assertEquals(item.get("data"), JSON.parse(text.value()));
      }
    }
    assertEquals(m, MSGPACK.decode(MSGPACK.encode(m)), "msgpack round trip");
    assertEquals(m, JSON_CODEC.decode(JSON_CODEC.encode(m)), "json round trip");
  }

  private static String repeated(JSONObject item, int repeat) {
    String data = item.getString("data");
    return repeat == 0 ? data : data.repeat(repeat);
  }

  @Test
  @Tag("RSL4c")
  @Tag("RSL4d")
  void encryptedFixtureMessagesDecodeAlikeFromMsgpackBinAndJsonBase64RSL4c() {
    for (String file : List.of("crypto-data-128.json", "crypto-data-256.json")) {
      JSONArray items = Fixtures.json(file).getJSONArray("items");
      for (int i = 0; i < items.size(); i++) {
        JSONObject item = items.getJSONObject(i);
        Message fromMsgpack =
            MSGPACK.decodeMessage(Base64.getDecoder().decode(item.getString("msgpack")));
        JSONObject encrypted = item.getJSONObject("encrypted");
        Message fromJson = JSON_CODEC.decodeMessage(encrypted.toJSONString().getBytes(UTF_8));
        String where = file + " item " + i;
        assertEquals(fromJson, fromMsgpack, where);
        assertInstanceOf(MessageData.Binary.class, fromMsgpack.data(), where);
        String wireEncoding = encrypted.getString("encoding");
        assertEquals(
            wireEncoding.substring(0, wireEncoding.length() - "/base64".length()),
            fromMsgpack.encoding(),
            where);
        assertEquals(fromMsgpack, MSGPACK.decodeMessage(MSGPACK.encodeMessage(fromMsgpack)));
        assertEquals(
            encrypted.getString("data"),
            JSON.parseObject(new String(JSON_CODEC.encodeMessage(fromMsgpack), UTF_8))
                .getString("data"),
            where);
      }
    }
  }
}
