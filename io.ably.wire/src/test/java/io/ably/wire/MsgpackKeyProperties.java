package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.generators.Generate.byteArrays;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.integers;

import io.ably.testsupport.PropertyCheck;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Properties of the hashed lookup of field names that the MessagePack decoder uses. */
class MsgpackKeyProperties {

  @Test
  void everyKnownNameIsFoundByItsBytesEvenInsideALargerBuffer() {
    PropertyCheck.forAll(
        200,
        enumValues(MsgpackKey.class).zip(integers().between(0, 7), (k, pad) -> new Object[] {k, pad}),
        kp -> {
          MsgpackKey k = (MsgpackKey) kp[0];
          int pad = (Integer) kp[1];
          byte[] utf8 = k.text.getBytes(StandardCharsets.UTF_8);
          byte[] framed = new byte[pad + utf8.length + pad];
          Arrays.fill(framed, (byte) 'x');
          System.arraycopy(utf8, 0, framed, pad, utf8.length);
          assertSame(k, MsgpackKey.find(framed, pad, utf8.length));
          assertSame(k.text, MsgpackKey.lookup(framed, pad, utf8.length));
        });
  }

  @Test
  void anyBytesThatAreNotANameAreNotFound() {
    PropertyCheck.forAll(
        2_000,
        byteArrays(range(0, 24), range(-128, 127).map(Integer::byteValue)),
        bytes -> assertEquals(nameOf(bytes), MsgpackKey.lookup(bytes, 0, bytes.length)));
  }

  @Test
  void aNameWithOneByteChangedOrOneByteMoreOrLessIsNotFoundUnlessItIsAnotherName() {
    PropertyCheck.forAll(
        2_000,
        enumValues(MsgpackKey.class)
            .zip(integers().between(0, 63), range(0, 255), (k, at, b) -> new Object[] {k, at, b}),
        kib -> {
          byte[] utf8 = ((MsgpackKey) kib[0]).text.getBytes(StandardCharsets.UTF_8);
          int at = (Integer) kib[1] % utf8.length;
          byte[] changed = utf8.clone();
          changed[at] = (byte) (int) (Integer) kib[2];
          byte[] longer = Arrays.copyOf(utf8, utf8.length + 1);
          longer[utf8.length] = (byte) (int) (Integer) kib[2];
          byte[] shorter = Arrays.copyOf(utf8, utf8.length - 1);
          for (byte[] b : new byte[][] {changed, longer, shorter}) {
            assertEquals(nameOf(b), MsgpackKey.lookup(b, 0, b.length));
          }
        });
  }

  /** The name these bytes spell, by a plain scan: the reference the table must agree with. */
  private static String nameOf(byte[] bytes) {
    for (MsgpackKey k : MsgpackKey.values()) {
      if (Arrays.equals(k.text.getBytes(StandardCharsets.UTF_8), bytes)) {
        return k.text;
      }
    }
    return null;
  }
}
