package io.ably.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ably.api.message.Message;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receive frame decoder ({@link ProtocolCodec#newReceiveFrameDecoder()}): a MESSAGE's messages
 * take its id (TM2a), connection id (TM2c) and timestamp (TM2f) when they have none, whichever side
 * of the messages those fields come on the wire, in both formats; nothing else changes.
 */
class ReceiveFrameDecoderTest {
  private static final List<ProtocolCodec> CODECS = List.of(MsgpackProtocolCodec.INSTANCE, JsonProtocolCodec.INSTANCE);

  private static ProtocolMessage message(List<Message> messages) {
    return ProtocolMessage.builder(Action.MESSAGE)
        .channel("ch")
        .id("pm-1")
        .connectionId("conn-9")
        .timestampMillis(1_700_000_000_000L)
        .messages(messages)
        .build();
  }

  private static ProtocolMessage receive(ProtocolCodec codec, byte[] frame) {
    return codec.newReceiveFrameDecoder().decode(ByteBuffer.wrap(frame));
  }

  @Test
  void messagesWithoutIdConnectionIdOrTimestampTakeTheProtocolMessagesTm2aTm2cTm2f() {
    for (ProtocolCodec codec : CODECS) {
      ProtocolMessage pm = message(List.of(Message.ofText("a", "x"), Message.ofText("b", "y")));
      List<Message> got = receive(codec, codec.encode(pm)).messages();
      assertEquals(List.of("pm-1:0", "pm-1:1"), got.stream().map(Message::id).toList(), codec.toString());
      for (Message m : got) {
        assertEquals("conn-9", m.connectionId(), codec.toString());
        assertEquals(1_700_000_000_000L, m.timestampMillis(), codec.toString());
      }
      assertEquals("a", got.get(0).name());
      assertEquals(io.ably.api.message.MessageData.text("y"), got.get(1).data());
      // the plain decoders decode exactly what was encoded
      assertEquals(pm, codec.decode(codec.encode(pm)), codec.toString());
      assertEquals(pm, codec.newFrameDecoder().decode(ByteBuffer.wrap(codec.encode(pm))), codec.toString());
    }
  }

  @Test
  void aMessagesOwnFieldsAreKept() {
    Message own =
        Message.builder().id("own").name("n").text("t").connectionId("other").timestampMillis(5).build();
    for (ProtocolCodec codec : CODECS) {
      Message got = receive(codec, codec.encode(message(List.of(own)))).messages().get(0);
      assertEquals(own, got, codec.toString());
    }
  }

  @Test
  void theProtocolMessagesFieldsAfterItsMessagesAreGivenToThemToo() {
    byte[] msgpack =
        MsgpackProtocolCodecTest.pack(
            p -> {
              p.packMapHeader(5);
              p.packString("action").packInt(Action.MESSAGE.wireValue());
              p.packString("messages").packArrayHeader(1).packMapHeader(1);
              p.packString("name").packString("late");
              p.packString("id").packString("pm-2");
              p.packString("connectionId").packString("c2");
              p.packString("timestamp").packLong(42);
            });
    byte[] json =
        ("{\"action\":" + Action.MESSAGE.wireValue() + ",\"messages\":[{\"name\":\"late\"}],\"id\":\"pm-2\","
                + "\"connectionId\":\"c2\",\"timestamp\":42}")
            .getBytes(UTF_8);
    for (Object[] c : new Object[][] {{MsgpackProtocolCodec.INSTANCE, msgpack}, {JsonProtocolCodec.INSTANCE, json}}) {
      ProtocolCodec codec = (ProtocolCodec) c[0];
      Message got = receive(codec, (byte[]) c[1]).messages().get(0);
      assertEquals("pm-2:0", got.id(), codec.toString());
      assertEquals("c2", got.connectionId(), codec.toString());
      assertEquals(42, got.timestampMillis(), codec.toString());
      assertNull(codec.decode((byte[]) c[1]).messages().get(0).id(), codec.toString());
    }
  }

  @Test
  void onlyTheMessagesOfAMessageActionAreFilled() {
    for (ProtocolCodec codec : CODECS) {
      ProtocolMessage other =
          ProtocolMessage.builder(Action.PRESENCE).channel("ch").id("pm-3").connectionId("c").build();
      assertEquals(other, receive(codec, codec.encode(other)), codec.toString());
    }
  }
}
