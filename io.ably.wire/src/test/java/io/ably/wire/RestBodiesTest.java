package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** REST value bodies in JSON and MessagePack (PROTOCOL.md §8). */
class RestBodiesTest {
  private static Map<String, Object> tree() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("n", 42L);
    inner.put("d", 2.5);
    inner.put("b", true);
    inner.put("nothing", null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "héllo ✓");
    m.put("list", Arrays.asList(1L, "two", inner, List.of()));
    return m;
  }

  @Test
  void aTreeReadsBackEqualInBothFormats() {
    for (WireFormat f : WireFormat.values()) {
      assertEquals(tree(), RestBodies.read(f, RestBodies.write(f, tree())), f.toString());
    }
  }

  @Test
  void jsonTextIsCompactWithBinaryAsBase64() {
    assertEquals("{\"s\":\"héllo ✓\",\"list\":[1,\"two\",{\"n\":42,\"d\":2.5,\"b\":true,\"nothing\":null},[]]}", RestBodies.toJson(tree()));
    assertEquals("\"AAH/\"", RestBodies.toJson(new byte[] {0, 1, (byte) 0xff}));
    byte[] packed = RestBodies.write(WireFormat.MSGPACK, new byte[] {0, 1, (byte) 0xff});
    assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, (byte[]) RestBodies.read(WireFormat.MSGPACK, packed));
  }

  @Test
  void malformedOrHostileBodiesFailWithWireFormatExceptionOnly() {
    assertThrows(WireFormatException.class, () -> RestBodies.read(WireFormat.JSON, "{\"a\":".getBytes(StandardCharsets.UTF_8)));
    // An array header claiming 2^32-1 elements in a five-byte body: refused before any allocation.
    assertThrows(WireFormatException.class, () -> RestBodies.read(WireFormat.MSGPACK, new byte[] {(byte) 0xdd, -1, -1, -1, -1}));
    assertThrows(WireFormatException.class, () -> RestBodies.read(WireFormat.MSGPACK, new byte[] {(byte) 0x91, 1, 2}));
    byte[] deep = new byte[200];
    Arrays.fill(deep, (byte) 0x91);
    assertThrows(WireFormatException.class, () -> RestBodies.read(WireFormat.MSGPACK, deep));
    assertNull(RestBodies.read(WireFormat.JSON, new byte[0]));
  }

  @Test
  void anErrorBodyGivesItsErrorAndOutOfRangeNumbersReadAsUnknown() {
    ErrorInfo e =
        RestBodies.error(
            WireFormat.JSON,
            "{\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"expired\",\"href\":\"h\"}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(new ErrorInfo(40_142, 401, "expired", "h", null, null, null), e);
    ErrorInfo odd =
        RestBodies.error(WireFormat.JSON, "{\"error\":{\"code\":7,\"statusCode\":9999}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, odd.code());
    assertEquals(0, odd.statusCode());
    assertNull(RestBodies.error(WireFormat.JSON, "[1]".getBytes(StandardCharsets.UTF_8)));
    assertNull(RestBodies.error(WireFormat.JSON, "not json".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theBatchPublishBodyIsAnArrayOfChannelsAndWireMessagesRSC22c() {
    List<List<String>> channels = List.of(List.of("a", "b"), List.of("c"));
    List<List<Message>> messages =
        List.of(List.of(Message.builder().id("x:0").name("n").text("t").build()), List.of(Message.builder().name("m").binary(new byte[] {7}).build()));
    for (WireFormat f : WireFormat.values()) {
      Object tree = RestBodies.read(f, RestBodies.batchPublish(f, channels, messages));
      List<?> specs = (List<?>) tree;
      assertEquals(2, specs.size());
      Map<?, ?> first = (Map<?, ?>) specs.get(0);
      assertEquals(List.of("a", "b"), first.get("channels"));
      byte[] again = RestBodies.write(f, first.get("messages"));
      assertEquals(messages.get(0), ProtocolCodec.of(f).decodeMessages(again), f.toString());
      Map<?, ?> second = (Map<?, ?>) specs.get(1);
      assertEquals(messages.get(1), ProtocolCodec.of(f).decodeMessages(RestBodies.write(f, second.get("messages"))), f.toString());
    }
  }
}
