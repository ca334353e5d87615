package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryKeyTest {
  @Test
  void aKeyRoundTripsInTheJsonOtherSdksWriteRTN16g() {
    RecoveryKey k = new RecoveryKey("abc!def", 7, Map.of("chat", "e1:42"));
    assertEquals("{\"connectionKey\":\"abc!def\",\"msgSerial\":7,\"channelSerials\":{\"chat\":\"e1:42\"}}", k.toJson());
    assertEquals(k, RecoveryKey.parse(k.toJson()));
  }

  @Test
  void somethingElseIsNotAKeyRTN16f1() {
    assertNull(RecoveryKey.parse("not json"));
    assertNull(RecoveryKey.parse("{\"msgSerial\":1}"));
    assertNull(RecoveryKey.parse("{\"connectionKey\":5}"));
    assertNull(RecoveryKey.parse("[1,2]"));
  }
}
