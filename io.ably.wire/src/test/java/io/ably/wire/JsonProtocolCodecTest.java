package io.ably.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.MessageAction;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class JsonProtocolCodecTest {
  private static final ProtocolCodec CODEC = JsonProtocolCodec.INSTANCE;

  /** PROTOCOL.md §2.4, values from the UTS proxy fixtures. */
  static final String CONNECTED =
      "{\"action\":4,\"connectionId\":\"Cx1Y2z\",\"connectionKey\":\"Cx1Y2z!aBcD-01\",\n"
          + " \"connectionDetails\":{\"connectionKey\":\"Cx1Y2z!aBcD-01\",\"clientId\":null,"
          + "\"maxMessageSize\":65536,\n"
          + "   \"maxInboundRate\":250,\"maxOutboundRate\":100,\"maxFrameSize\":524288,"
          + "\"serverId\":\"local-1\",\n"
          + "   \"connectionStateTtl\":120000,\"maxIdleInterval\":15000}}";

  private static ProtocolMessage decode(String json) {
    return CODEC.decode(json.getBytes(UTF_8));
  }

  private static String encode(ProtocolMessage m) {
    return new String(CODEC.encode(m), UTF_8);
  }

  @Test
  @Tag("TR4")
  void decodesTheConnectedExampleWithEveryField() {
    ProtocolMessage m = decode(CONNECTED);
    assertEquals(Action.CONNECTED, m.action());
    assertEquals(0, m.flags());
    assertEquals("Cx1Y2z", m.connectionId());
    assertEquals("Cx1Y2z!aBcD-01", m.connectionKey());
    assertNull(m.id());
    assertNull(m.channel());
    assertNull(m.error());
    assertTrue(m.messages().isEmpty());
    ConnectionDetails expected =
        new ConnectionDetails(
            null, "Cx1Y2z!aBcD-01", 65536L, 524288L, 250L, 100L, 120000L, 15000L, "local-1", null,
            null);
    assertEquals(expected, m.connectionDetails());
    assertEquals(m, CODEC.decode(CODEC.encode(m)));
  }

  @Test
  @Tag("RSL4d")
  void encodesBinaryDataAsBase64AndAppendsTheTransportTokenRSL4d1() {
    Message msg =
        Message.builder()
            .name("n")
            .binary(new byte[] {1, 2, 3})
            .encoding("utf-8/cipher+aes-128-cbc")
            .build();
    ProtocolMessage m =
        ProtocolMessage.builder(Action.MESSAGE)
            .channel("ch")
            .msgSerial(3L)
            .messages(List.of(msg, Message.builder().binary(new byte[0]).build()))
            .build();
    assertEquals(
        "{\"action\":15,\"channel\":\"ch\",\"msgSerial\":3,\"messages\":["
            + "{\"name\":\"n\",\"data\":\"AQID\",\"encoding\":\"utf-8/cipher+aes-128-cbc/base64\"},"
            + "{\"data\":\"\",\"encoding\":\"base64\"}]}",
        encode(m));
    assertEquals(m, CODEC.decode(CODEC.encode(m)));
  }

  @Test
  void omitsAbsentFieldsZeroFlagsEmptyListsAndZeroMessageTimestamps() {
    ProtocolMessage m =
        ProtocolMessage.builder(Action.HEARTBEAT)
            .messages(List.of(Message.ofText(null, "x")))
            .params(Map.of())
            .build();
    assertEquals("{\"action\":0,\"messages\":[{\"data\":\"x\"}]}", encode(m));
  }

  @Test
  @Tag("RSL6a")
  void decodesBase64DataToBinaryAndDropsOnlyTheLastTokenRSL6a() {
    ProtocolMessage m =
        decode(
            "{\"action\":15,\"messages\":[{\"data\":\"3q2+7w==\",\"encoding\":\"base64\"},"
                + "{\"data\":\"AQID\",\"encoding\":\"utf-8/cipher+aes-128-cbc/base64\"},"
                + "{\"data\":\"AQID\",\"encoding\":\"xbase64\"},"
                + "{\"data\":\"not base64!\",\"encoding\":\"json/base64\"},"
                + "{\"data\":\"plain\",\"encoding\":\"\"}]}");
    List<Message> ms = m.messages();
    assertEquals(binary("deadbeef"), ms.get(0).data());
    assertNull(ms.get(0).encoding());
    assertEquals(binary("010203"), ms.get(1).data());
    assertEquals("utf-8/cipher+aes-128-cbc", ms.get(1).encoding());
    assertEquals(MessageData.text("AQID"), ms.get(2).data());
    assertEquals("xbase64", ms.get(2).encoding());
    // RSL6b: what cannot be decoded stays as it came.
    assertEquals(MessageData.text("not base64!"), ms.get(3).data());
    assertEquals("json/base64", ms.get(3).encoding());
    assertEquals(MessageData.text("plain"), ms.get(4).data());
    assertNull(ms.get(4).encoding());
  }

  @Test
  void decodesStructuredDataToCompactJsonTextWithTheJsonToken() {
    ProtocolMessage m =
        decode(
            "{\"action\":14,\"presence\":["
                + "{\"action\":2,\"data\":{ \"b\" : [1, 1.50, -0.0, 1e2, true, null] },"
                + " \"encoding\":\"utf-8\"},"
                + "{\"action\":4,\"data\":42},{\"action\":1,\"data\":false}]}");
    PresenceMessage p = m.presence().get(0);
    assertEquals(PresenceAction.ENTER, p.action());
    assertEquals(MessageData.text("{\"b\":[1,1.5,0.0,100.0,true,null]}"), p.data());
    assertEquals("utf-8/json", p.encoding());
    assertEquals(MessageData.text("42"), m.presence().get(1).data());
    assertEquals("json", m.presence().get(1).encoding());
    assertEquals(MessageData.text("false"), m.presence().get(2).data());
  }

  @Test
  @Tag("TM2i")
  void readsExtrasAsCompactObjectTextAndWritesThemAsIs() {
    ProtocolMessage m =
        decode(
            "{\"action\":15,\"messages\":[{\"extras\": {\"headers\": {\"k\": \"v\", \"n\": 1.0}},"
                + "\"data\":null}]}");
    Message msg = m.messages().get(0);
    assertEquals("{\"headers\":{\"k\":\"v\",\"n\":1.0}}", msg.extras());
    assertNull(msg.data());
    assertEquals(
        "{\"action\":15,\"messages\":[{\"extras\":{\"headers\":{\"k\":\"v\",\"n\":1.0}}}]}",
        encode(m));
  }

  @Test
  void encodingInvalidExtrasOrJsonDataFailsWithInvalidMessageData() {
    for (String extras : new String[] {"[1]", "{\"a\":", "{} x", "\"s\"", ""}) {
      ProtocolMessage m =
          ProtocolMessage.builder(Action.MESSAGE)
              .messages(List.of(Message.builder().extras(extras).build()))
              .build();
      AblyException e = assertThrows(AblyException.class, () -> CODEC.encode(m), extras);
      assertEquals(ErrorCode.INVALID_MESSAGE_DATA.code(), e.code(), extras);
    }
    ProtocolMessage badJson =
        ProtocolMessage.builder(Action.MESSAGE)
            .messages(List.of(Message.builder().json("{nope").build()))
            .build();
    assertEquals(
        ErrorCode.INVALID_MESSAGE_DATA.code(),
        assertThrows(AblyException.class, () -> CODEC.encode(badJson)).code());
  }

  @Test
  void writesJsonDataAsTextWithTheJsonToken() {
    ProtocolMessage m =
        ProtocolMessage.builder(Action.MESSAGE)
            .messages(List.of(Message.builder().json("[1,2]").encoding("x").build()))
            .build();
    assertEquals(
        "{\"action\":15,\"messages\":[{\"data\":\"[1,2]\",\"encoding\":\"x/json\"}]}", encode(m));
    Message back = CODEC.decode(CODEC.encode(m)).messages().get(0);
    assertEquals(MessageData.text("[1,2]"), back.data());
    assertEquals("x/json", back.encoding());
  }

  @Test
  @Tag("TR4")
  void roundTripsErrorsWithCauseAndDetail() {
    ErrorInfo cause = new ErrorInfo(40142, 401, "expired", null, null, null, null);
    ErrorInfo error =
        new ErrorInfo(80019, 401, "auth failed", "https://help.ably.io/error/80019", cause,
            Map.of("k", "v"), "req-1");
    ProtocolMessage m =
        ProtocolMessage.builder(Action.DISCONNECTED).error(error).build();
    ProtocolMessage back = CODEC.decode(CODEC.encode(m));
    assertEquals(m, back);
    assertEquals(cause, back.error().cause());
  }

  @Test
  @Tag("TR4s")
  void decodesAnAckWhosePublishResultsHaveNullSerials() {
    ProtocolMessage m =
        decode(
            "{\"action\":1,\"msgSerial\":0,\"count\":3,"
                + "\"res\":[{\"serials\":null},{\"serials\":[\"a\",null]},{}]}");
    assertEquals(
        List.of(
            new PublishResult(null),
            new PublishResult(java.util.Arrays.asList("a", null)),
            new PublishResult(List.of())),
        m.res());
    assertEquals(
        "{\"action\":1,\"msgSerial\":0,\"count\":3,"
            + "\"res\":[{},{\"serials\":[\"a\",null]},{}]}",
        encode(m));
  }

  @Test
  void decodesFromAnOffsetAndFromByteBuffersWhichAreConsumed() {
    byte[] framed = ("xx" + CONNECTED + "yy").getBytes(UTF_8);
    ProtocolMessage expected = decode(CONNECTED);
    assertEquals(expected, CODEC.decode(framed, 2, framed.length - 4));

    ByteBuffer heap = ByteBuffer.wrap(framed, 2, framed.length - 4).slice();
    assertEquals(expected, CODEC.decode(heap));
    assertEquals(heap.limit(), heap.position());

    ByteBuffer direct = ByteBuffer.allocateDirect(framed.length);
    direct.put(framed).position(2).limit(framed.length - 2);
    assertEquals(expected, CODEC.decode(direct));
    assertEquals(framed.length - 2, direct.position());
  }

  @Test
  void encodesToAStreamTheSameBytesAsToAnArray() throws IOException {
    ProtocolMessage m = decode(CONNECTED);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CODEC.encode(m, out);
    assertArrayEquals(CODEC.encode(m), out.toByteArray());
  }

  @Test
  @Tag("RSL6a1")
  void decodesTheRestMessageEncodingFixturesRSL6a1() {
    JSONArray cases = Fixtures.json("messages-encoding.json").getJSONArray("messages");
    List<Message> ms = CODEC.decodeMessages(cases.toJSONString().getBytes(UTF_8));
    assertEquals(cases.size(), ms.size());
    for (int i = 0; i < cases.size(); i++) {
      JSONObject c = cases.getJSONObject(i);
      Message msg = ms.get(i);
      switch (c.getString("expectedType")) {
        case "string" -> {
          assertEquals(MessageData.text(c.getString("expectedValue")), msg.data());
          assertNull(msg.encoding());
        }
        case "binary" -> {
          assertEquals(binary(c.getString("expectedHexValue")), msg.data());
          assertNull(msg.encoding());
        }
        default -> {
          assertEquals("json", msg.encoding());
          String text = ((MessageData.Text) msg.data()).value();
          assertEquals(c.get("expectedValue"), JSON.parse(text));
        }
      }
    }
    assertEquals(ms, CODEC.decodeMessages(CODEC.encodeMessages(ms)));
  }

  @Test
  void readsAndWritesRestBodiesOfMessagesPresenceAndOneMessage() {
    Message msg =
        Message.builder()
            .id("id:0")
            .name("e")
            .text("t")
            .clientId("c")
            .connectionId("cid")
            .connectionKey("ck")
            .timestampMillis(1_700_000_000_000L)
            .extras("{\"push\":{\"title\":\"x\"}}")
            .serial("s1")
            .action(MessageAction.MESSAGE_UPDATE)
            .build();
    String one =
        "{\"id\":\"id:0\",\"name\":\"e\",\"data\":\"t\",\"clientId\":\"c\",\"connectionId\":\"cid\","
            + "\"connectionKey\":\"ck\",\"timestamp\":1700000000000,"
            + "\"extras\":{\"push\":{\"title\":\"x\"}},\"serial\":\"s1\",\"action\":1}";
    assertEquals(one, new String(CODEC.encodeMessage(msg), UTF_8));
    assertEquals(msg, CODEC.decodeMessage(one.getBytes(UTF_8)));
    assertEquals("[" + one + "]", new String(CODEC.encodeMessages(List.of(msg)), UTF_8));
    assertEquals(List.of(msg), CODEC.decodeMessages(("[" + one + "]").getBytes(UTF_8)));
    assertEquals(List.of(), CODEC.decodeMessages("[]".getBytes(UTF_8)));

    PresenceMessage p =
        new PresenceMessage("p:0:0", PresenceAction.PRESENT, "c", "cid",
            MessageData.binary(new byte[] {9}), null, null, 5);
    String presence =
        "[{\"id\":\"p:0:0\",\"action\":1,\"clientId\":\"c\",\"connectionId\":\"cid\","
            + "\"data\":\"CQ==\",\"encoding\":\"base64\",\"timestamp\":5}]";
    assertEquals(presence, new String(CODEC.encodePresence(List.of(p)), UTF_8));
    assertEquals(List.of(p), CODEC.decodePresence(presence.getBytes(UTF_8)));
  }

  @Test
  void skipsUnknownFieldsOfEveryObject() {
    ProtocolMessage m =
        decode(
            "{\"action\":15,\"state\":[{\"x\":1}],\"annotations\":[],\"future\":{\"a\":[1,{}]},"
                + "\"messages\":[{\"version\":{\"serial\":\"v\"},\"annotations\":{\"summary\":{}},"
                + "\"data\":\"d\"}],\"error\":{\"code\":40000,\"statusCode\":400,\"reason\":\"r\"},"
                + "\"connectionDetails\":{\"unknown\":true},\"auth\":{\"accessToken\":\"t\",\"x\":1}}");
    assertEquals(MessageData.text("d"), m.messages().get(0).data());
    assertEquals(40000, m.error().code());
    assertEquals("", m.error().message());
    assertEquals("t", m.auth().accessToken());
  }

  @Test
  void readsNullAsAbsentAndAnAbsentActionAsWireValueZero() {
    ProtocolMessage m =
        decode(
            "{\"id\":null,\"flags\":null,\"messages\":null,\"presence\":null,\"params\":null,"
                + "\"res\":null,\"error\":null,\"connectionDetails\":null,\"auth\":null,"
                + "\"count\":null,\"timestamp\":null}");
    assertEquals(ProtocolMessage.builder(Action.HEARTBEAT).build(), m);
  }

  @Test
  @Tag("RSF1")
  void aMessageActionThisClientDoesNotKnowIsAbsentAndAnUnknownPresenceActionIsSkippedRSF1() {
    ProtocolMessage m = decode("{\"action\":15,\"channel\":\"c\",\"messages\":["
        + "{\"name\":\"future\",\"action\":99},{\"name\":\"known\",\"action\":1}]}");
    assertEquals(2, m.messages().size(), "both messages are kept");
    assertNull(m.messages().get(0).action());
    assertEquals("future", m.messages().get(0).name());
    assertEquals(MessageAction.MESSAGE_UPDATE, m.messages().get(1).action());
    ProtocolMessage p = decode("{\"action\":14,\"channel\":\"c\",\"presence\":["
        + "{\"clientId\":\"a\",\"connectionId\":\"x\",\"action\":9},"
        + "{\"clientId\":\"b\",\"connectionId\":\"x\",\"action\":2}]}");
    assertEquals(1, p.presence().size(), "the unknown presence action is skipped, the rest kept");
    assertEquals(PresenceAction.ENTER, p.presence().get(0).action());
    assertEquals("b", p.presence().get(0).clientId());
  }

  @Test
  @Tag("TR4")
  void rejectsMalformedFramesWithWireFormatExceptionNamingTheField() {
    assertRejected("{\"action\":22}", "action");
    assertRejected("{\"action\":\"4\"}", "action");
    assertRejected("{\"action\":4.5}", "action");
    assertRejected("{\"msgSerial\":9223372036854775808}", "msgSerial");
    assertRejected("{\"count\":2147483648}", "count");
    assertRejected("{\"action\":9,\"error\":{\"code\":400,\"statusCode\":40000}}", "error");
    assertRejected("{\"action\":15,\"messages\":[{\"timestamp\":-1}]}", "timestamp");
    assertRejected("{\"action\":15,\"messages\":[null]}", "message");
    assertRejected("{\"action\":15,\"messages\":[{\"extras\":[1]}]}", "extras");
    assertRejected("{\"action\":17,\"auth\":{}}", "accessToken");
    assertRejected("{\"action\":10,\"params\":{\"a\":1}}", "params");
    assertRejected("{\"action\":0}x", "after");
    assertRejected("{\"action\":0},", "after");
    assertRejected("{\"action\":0}{}", "after");
    assertRejected("[]", "ProtocolMessage");
    assertRejected("", "ProtocolMessage");
    assertRejected("{\"action\":0", "");
    assertRejected("{\"action\":15,\"messages\":[{\"data\":\"abc", "");
  }

  @Test
  void rejectsDeepNestingWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertRejected("{\"action\":15,\"messages\":[{\"data\":" + deep + "}]}", "");
    assertRejected("{\"action\":15,\"future\":" + deep + "}", "");
    String causes = "{\"cause\":".repeat(10_000) + "{}" + "}".repeat(10_000);
    assertRejected("{\"action\":9,\"error\":" + causes + "}", "");
  }

  @Test
  void nestingIsBoundedBeforeParsingSoNoStackOverflowIsEverCaught() {
    String ok = "[".repeat(WireData.MAX_VALUE_DEPTH - 1) + "]".repeat(WireData.MAX_VALUE_DEPTH - 1);
    assertEquals(Action.HEARTBEAT, decode("{\"action\":0,\"future\":" + ok + "}").action());
    String over = "[".repeat(WireData.MAX_VALUE_DEPTH) + "]".repeat(WireData.MAX_VALUE_DEPTH);
    WireFormatException e =
        assertThrows(WireFormatException.class, () -> decode("{\"action\":0,\"future\":" + over + "}"));
    assertTrue(e.getMessage().contains("over " + WireData.MAX_VALUE_DEPTH + " levels"), e.getMessage());
    assertEquals(null, e.getCause(), "refused by the scan, not by a caught StackOverflowError");
    // brackets inside strings do not count
    String text = "\"" + "[{".repeat(10_000) + "\"";
    assertEquals(Action.HEARTBEAT, decode("{\"action\":0,\"future\":" + text + "}").action());
  }

  @Test
  void anUnknownActionIsReportedAsSuchSoTheClientCanIgnoreItRTF1() {
    for (String json : new String[] {"{\"action\":99}", "{\"action\":254,\"channel\":\"x\"}", "{\"action\":-1}"}) {
      WireFormatException e = assertThrows(WireFormatException.class, () -> decode(json), json);
      assertTrue(e.unknownAction(), json);
    }
    for (String json : new String[] {"{\"action\":\"four\"}", "[1]", "{\"action\":1,\"count\":\"x\"}"}) {
      WireFormatException e = assertThrows(WireFormatException.class, () -> decode(json), json);
      assertTrue(!e.unknownAction(), json + " is malformed, not an unknown action");
    }
  }

  private static void assertRejected(String json, String fieldMention) {
    WireFormatException e =
        assertThrows(WireFormatException.class, () -> decode(json), json);
    assertEquals(ErrorCode.PROTOCOL_ERROR.code(), e.code());
    assertTrue(
        e.errorInfo().message().contains(fieldMention),
        () -> "message '" + e.errorInfo().message() + "' should mention " + fieldMention);
  }

  static MessageData.Binary binary(String hex) {
    return MessageData.binary(HexFormat.of().parseHex(hex));
  }

  @Test
  void theCodecForJsonIsThisOne() {
    assertInstanceOf(JsonProtocolCodec.class, ProtocolCodec.of(WireFormat.JSON));
    assertEquals(WireFormat.JSON, CODEC.format());
  }

  @Test
  void aMessageWithAMillionElementsIsAProtocolErrorNotAMillionObjects() {
    String million = "{\"action\":15,\"messages\":[" + "{},".repeat(999_999) + "{}]}";
    WireFormatException e = assertThrows(WireFormatException.class, () -> decode(million));
    assertEquals(ErrorCode.PROTOCOL_ERROR.code(), e.code());
    String most = "{\"action\":14,\"presence\":[" + "{},".repeat(9_999) + "{}]}";
    assertEquals(10_000, decode(most).presence().size());
    String over = "{\"action\":14,\"presence\":[" + "{},".repeat(10_000) + "{}]}";
    assertThrows(WireFormatException.class, () -> decode(over));
  }
}
