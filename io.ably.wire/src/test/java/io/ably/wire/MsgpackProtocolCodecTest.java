package io.ably.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

class MsgpackProtocolCodecTest {
  private static final ProtocolCodec CODEC = MsgpackProtocolCodec.INSTANCE;

  /** Packs a frame by hand, so the tests do not depend on the encoder under test. */
  @FunctionalInterface
  interface Packing {
    void pack(MessagePacker p) throws IOException;
  }

  static byte[] pack(Packing packing) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      packing.pack(p);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CONNECTED example of PROTOCOL.md §2.4, with ints of several widths. */
  static byte[] connected() {
    return pack(
        p -> {
          p.packMapHeader(4);
          p.packString("action").packByte((byte) 4);
          p.packString("connectionId").packString("Cx1Y2z");
          p.packString("connectionKey").packString("Cx1Y2z!aBcD-01");
          p.packString("connectionDetails").packMapHeader(9);
          p.packString("connectionKey").packString("Cx1Y2z!aBcD-01");
          p.packString("clientId").packNil();
          p.packString("maxMessageSize").packInt(65536);
          p.packString("maxInboundRate").packShort((short) 250);
          p.packString("maxOutboundRate").packDouble(100.0);
          p.packString("maxFrameSize").packLong(524288);
          p.packString("serverId").packString("local-1");
          p.packString("connectionStateTtl").packInt(120000);
          p.packString("maxIdleInterval").packInt(15000);
        });
  }

  @Test
  @Tag("RSF1")
  void aMessageActionThisClientDoesNotKnowIsAbsentAndAnUnknownPresenceActionIsSkippedRSF1() {
    ProtocolMessage m = CODEC.decode(pack(p -> {
      p.packMapHeader(3);
      p.packString("action").packInt(15);
      p.packString("channel").packString("c");
      p.packString("messages").packArrayHeader(2);
      p.packMapHeader(2).packString("name").packString("future").packString("action").packInt(99);
      p.packMapHeader(2).packString("name").packString("known").packString("action").packInt(0);
    }));
    assertEquals(2, m.messages().size(), "both messages are kept");
    assertNull(m.messages().get(0).action());
    assertEquals("known", m.messages().get(1).name());
    ProtocolMessage presence = CODEC.decode(pack(p -> {
      p.packMapHeader(3);
      p.packString("action").packInt(14);
      p.packString("channel").packString("c");
      p.packString("presence").packArrayHeader(2);
      p.packMapHeader(3).packString("clientId").packString("a").packString("connectionId").packString("x")
          .packString("action").packLong(1L << 40);
      p.packMapHeader(3).packString("clientId").packString("b").packString("connectionId").packString("x")
          .packString("action").packInt(2);
    }));
    assertEquals(1, presence.presence().size(), "the unknown presence action is skipped, the rest kept");
    assertEquals(PresenceAction.ENTER, presence.presence().get(0).action());
  }

  @Test
  @Tag("TR4")
  void decodesTheConnectedExampleWithEveryField() {
    ProtocolMessage m = CODEC.decode(connected());
    assertEquals(Action.CONNECTED, m.action());
    assertEquals("Cx1Y2z", m.connectionId());
    assertEquals("Cx1Y2z!aBcD-01", m.connectionKey());
    assertEquals(
        new ConnectionDetails(
            null, "Cx1Y2z!aBcD-01", 65536L, 524288L, 250L, 100L, 120000L, 15000L, "local-1", null,
            null),
        m.connectionDetails());
    assertEquals(
        JsonProtocolCodec.INSTANCE.decode(JsonProtocolCodecTest.CONNECTED.getBytes(UTF_8)), m);
    assertEquals(m, CODEC.decode(CODEC.encode(m)));
  }

  @Test
  @Tag("TR4s")
  void decodesAnAckWithPublishResultsIncludingNullSerials() {
    byte[] ack =
        pack(
            p -> {
              p.packMapHeader(4);
              p.packString("action").packInt(1);
              p.packString("msgSerial").packLong(5);
              p.packString("count").packInt(3);
              p.packString("res").packArrayHeader(3);
              p.packMapHeader(1).packString("serials").packArrayHeader(2);
              p.packString("s1").packNil();
              p.packMapHeader(1).packString("serials").packNil();
              p.packMapHeader(0);
            });
    ProtocolMessage m = CODEC.decode(ack);
    assertEquals(Action.ACK, m.action());
    assertEquals(5L, m.msgSerial());
    assertEquals(3, m.count());
    assertEquals(3, m.res().size());
    assertEquals(Arrays.asList("s1", null), m.res().get(0).serials());
    assertEquals(List.of(), m.res().get(1).serials());
    assertEquals(List.of(), m.res().get(2).serials());
    assertEquals(m, CODEC.decode(CODEC.encode(m)));
  }

  @Test
  @Tag("RSL4c")
  void writesBinaryAsBinTextAsStrAndEmptyBinaryAsAnEmptyBinNeverNilRSL4c() {
    ProtocolMessage m =
        ProtocolMessage.builder(Action.MESSAGE)
            .messages(
                List.of(
                    Message.builder().binary(new byte[0]).build(),
                    Message.builder().binary(new byte[] {7}).encoding("cipher+aes-256-cbc").build(),
                    Message.ofText(null, "hi")))
            .build();
    byte[] expected =
        pack(
            p -> {
              p.packMapHeader(2);
              p.packString("action").packInt(15);
              p.packString("messages").packArrayHeader(3);
              p.packMapHeader(1).packString("data").packBinaryHeader(0);
              p.packMapHeader(2).packString("data").packBinaryHeader(1).writePayload(new byte[] {7});
              p.packString("encoding").packString("cipher+aes-256-cbc");
              p.packMapHeader(1).packString("data").packString("hi");
            });
    assertArrayEquals(expected, CODEC.encode(m));
    assertEquals(m, CODEC.decode(expected));
  }

  @Test
  void acceptsIntegersOfAnyWidthAndIntegralFloatsButNotFractions() {
    for (Packing serial :
        List.<Packing>of(
            p -> p.packByte((byte) 5),
            p -> p.packShort((short) 5),
            p -> p.packInt(5),
            p -> p.packLong(5),
            p -> p.packFloat(5f),
            p -> p.packDouble(5.0))) {
      byte[] frame =
          pack(
              p -> {
                p.packMapHeader(2).packString("action").packInt(0).packString("msgSerial");
                serial.pack(p);
              });
      assertEquals(5L, CODEC.decode(frame).msgSerial());
    }
    byte[] fraction =
        pack(p -> p.packMapHeader(1).packString("msgSerial").packDouble(5.5));
    assertThrows(WireFormatException.class, () -> CODEC.decode(fraction));
    byte[] huge =
        pack(
            p ->
                p.packMapHeader(1)
                    .packString("msgSerial")
                    .packBigInteger(java.math.BigInteger.ONE.shiftLeft(63)));
    assertThrows(WireFormatException.class, () -> CODEC.decode(huge));
  }

  @Test
  void decodesMapDataAndExtrasToTheSameTextAsTheJsonCodec() {
    byte[] frame =
        pack(
            p -> {
              p.packMapHeader(2).packString("action").packInt(15);
              p.packString("messages").packArrayHeader(1).packMapHeader(3);
              p.packString("data").packMapHeader(2);
              p.packString("b").packArrayHeader(4).packInt(1).packDouble(1.5).packBoolean(true)
                  .packNil();
              p.packString("s").packString("x\"y");
              p.packString("encoding").packString("utf-8");
              p.packString("extras").packMapHeader(1).packString("headers").packMapHeader(1)
                  .packString("n").packDouble(-0.0);
            });
    Message m = CODEC.decode(frame).messages().get(0);
    assertEquals(MessageData.text("{\"b\":[1,1.5,true,null],\"s\":\"x\\\"y\"}"), m.data());
    assertEquals("utf-8/json", m.encoding());
    assertEquals("{\"headers\":{\"n\":0.0}}", m.extras());
    String json =
        "{\"action\":15,\"messages\":[{\"data\":{\"b\":[1,1.50,true,null],\"s\":\"x\\\"y\"},"
            + "\"encoding\":\"utf-8\",\"extras\":{\"headers\":{\"n\":-0.0}}}]}";
    assertEquals(m, JsonProtocolCodec.INSTANCE.decode(json.getBytes(UTF_8)).messages().get(0));
  }

  @Test
  void decodesStrDataWhoseEncodingEndsInBase64ToBinary() {
    byte[] frame =
        pack(
            p -> {
              p.packMapHeader(2).packString("action").packInt(14);
              p.packString("presence").packArrayHeader(1).packMapHeader(3);
              p.packString("action").packInt(2);
              p.packString("data").packString("3q2+7w==");
              p.packString("encoding").packString("base64");
            });
    PresenceMessage p = CODEC.decode(frame).presence().get(0);
    assertEquals(PresenceAction.ENTER, p.action());
    assertEquals(JsonProtocolCodecTest.binary("deadbeef"), p.data());
    assertNull(p.encoding());
  }

  @Test
  void decodesFromAnOffsetAndFromByteBuffersWhichAreConsumed() {
    byte[] frame = connected();
    byte[] framed = new byte[frame.length + 7];
    System.arraycopy(frame, 0, framed, 3, frame.length);
    ProtocolMessage expected = CODEC.decode(frame);
    assertEquals(expected, CODEC.decode(framed, 3, frame.length));

    ByteBuffer heap = ByteBuffer.wrap(framed, 3, frame.length);
    assertEquals(expected, CODEC.decode(heap));
    assertEquals(3 + frame.length, heap.position());

    ByteBuffer direct = ByteBuffer.allocateDirect(framed.length);
    direct.put(framed).position(3).limit(3 + frame.length);
    assertEquals(expected, CODEC.decode(direct));
    assertEquals(3 + frame.length, direct.position());
  }

  @Test
  void encodesToAStreamTheSameBytesAsToAnArray() throws IOException {
    ProtocolMessage m = CODEC.decode(connected());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CODEC.encode(m, out);
    assertArrayEquals(CODEC.encode(m), out.toByteArray());
  }

  @Test
  void readsAndWritesRestBodies() {
    List<Message> messages =
        List.of(
            Message.builder().name("a").binary(new byte[] {1, 2}).timestampMillis(9).build(),
            Message.builder().text("t").extras("{\"x\":[1,\"2\"]}").build());
    assertEquals(messages, CODEC.decodeMessages(CODEC.encodeMessages(messages)));
    assertEquals(messages.get(0), CODEC.decodeMessage(CODEC.encodeMessage(messages.get(0))));
    List<PresenceMessage> presence =
        List.of(PresenceMessage.of(PresenceAction.LEAVE, "c", MessageData.text("bye")));
    assertEquals(presence, CODEC.decodePresence(CODEC.encodePresence(presence)));
    assertEquals(
        List.of(),
        CODEC.decodeMessages(pack(p -> p.packArrayHeader(0))));
  }

  @Test
  void rejectsHeadersThatClaimMoreThanTheInputHoldsBeforeAllocating() {
    List<byte[]> hostile =
        List.of(
            hex(MESSAGES + "dd7fff"), // messages: truncated array32 header
            hex(MESSAGES + "dd7fffffff"), // messages: array32 of 2^31-1 elements
            hex(MESSAGES + "dd80000000"), // messages: array32 of 2^31 elements
            hex("81a26964db7fffffff61"), // id: str32 of 2^31-1 bytes
            hex("81a26964db8000000061"), // id: str32 of 2^31 bytes
            hex("df7fffffffa161a162"), // top-level map32 of 2^31-1 entries
            hex("dfffffffff"), // map32 of 2^32-1 entries
            hex(MESSAGES + "9181a464617461c67fffffff00"), // data: bin32 of 2^31-1 bytes
            hex(MESSAGES + "9181a3666f6fc67fffffff00"), // unknown field: bin32, skipped
            hex(MESSAGES + "9181a3666f6fdd7fffffff"), // unknown field: array32, skipped
            // unknown field: map32 of 2^30 entries; msgpack-core's skipValue() overflows on it
            hex("81a3666f6fdf40000000"));
    for (byte[] frame : hostile) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> assertThrows(WireFormatException.class, () -> CODEC.decode(frame)));
    }
  }

  @Test
  @Tag("TR4")
  void rejectsMalformedFramesWithWireFormatException() {
    assertRejected(pack(p -> p.packMapHeader(1).packString("action").packInt(22)), "action");
    assertRejected(pack(p -> p.packMapHeader(1).packString("action").packString("4")), "action");
    assertRejected(pack(p -> p.packMapHeader(1).packInt(1).packInt(1)), "key");
    assertRejected(pack(p -> p.packArrayHeader(0)), "ProtocolMessage");
    assertRejected(
        pack(p -> p.packMapHeader(1).packString("action").packInt(0).packInt(7)), "after");
    assertRejected(
        pack(
            p ->
                p.packMapHeader(1).packString("error").packMapHeader(1).packString("code")
                    .packInt(7)),
        "error");
    assertRejected(
        pack(
            p ->
                p.packMapHeader(1).packString("messages").packArrayHeader(1).packMapHeader(1)
                    .packString("data").packExtensionTypeHeader((byte) 1, 1).writePayload(
                        new byte[] {0})),
        "data");
    assertRejected(new byte[] {(byte) 0xc1}, "");
    assertRejected(new byte[0], "");
    byte[] deep =
        pack(
            p -> {
              p.packMapHeader(1).packString("messages").packArrayHeader(1).packMapHeader(1);
              p.packString("data");
              for (int i = 0; i < 100_000; i++) {
                p.packArrayHeader(1);
              }
              p.packNil();
            });
    assertRejected(deep, "nested");
  }

  private static void assertRejected(byte[] frame, String mention) {
    WireFormatException e = assertThrows(WireFormatException.class, () -> CODEC.decode(frame));
    assertEquals(ErrorCode.PROTOCOL_ERROR.code(), e.code());
    assertTrue(
        e.errorInfo().message().contains(mention),
        () -> "message '" + e.errorInfo().message() + "' should mention " + mention);
  }

  /** A map of one entry whose key is {@code messages}, in hex. */
  private static final String MESSAGES = "81a86d65737361676573";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void theCodecForMsgpackIsThisOne() {
    assertInstanceOf(MsgpackProtocolCodec.class, ProtocolCodec.of(WireFormat.MSGPACK));
    assertEquals(WireFormat.MSGPACK, CODEC.format());
  }

  @Test
  void aMessageWithAMillionOneByteElementsIsAProtocolErrorNotAMillionObjects() {
    for (int n : new int[] {10_001, 1_000_000}) {
      byte[] frame =
          pack(
              p -> {
                p.packMapHeader(2);
                p.packString("action").packInt(15);
                p.packString("messages").packArrayHeader(n);
                for (int i = 0; i < n; i++) {
                  p.packMapHeader(0); // one byte: an empty message
                }
              });
      WireFormatException e = assertThrows(WireFormatException.class, () -> CODEC.decode(frame));
      assertEquals(ErrorCode.PROTOCOL_ERROR.code(), e.code());
      assertTrue(e.getMessage().contains("10000"), e.getMessage());
    }
    byte[] most = pack(p -> {
      p.packMapHeader(2);
      p.packString("action").packInt(15);
      p.packString("messages").packArrayHeader(10_000);
      for (int i = 0; i < 10_000; i++) {
        p.packMapHeader(0);
      }
    });
    assertEquals(10_000, CODEC.decode(most).messages().size());
  }
}
