package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActionTest {
  @Test
  void thereAreExactly22ActionsNumberedByDeclarationOrderTR2() {
    assertEquals(22, Action.values().length);
    for (Action a : Action.values()) {
      assertEquals(a, Action.fromWire(a.wireValue()));
    }
    assertEquals(21, Action.ANNOTATION.wireValue());
  }

  @Test
  void onlyMessagePresenceAnnotationAndObjectNeedAcknowledgementRTN7a() {
    for (Action a : Action.values()) {
      boolean expected =
          a == Action.MESSAGE || a == Action.PRESENCE || a == Action.ANNOTATION || a == Action.OBJECT;
      assertEquals(expected, a.ackRequired(), a.name());
    }
  }

  @Test
  void flagMasksMatchTheSpecBitsTR3() {
    assertEquals(983040, Flag.DEFAULT_MODES);
    assertEquals(57606144, Flag.ALL_MODES);
    assertEquals(32, Flag.ATTACH_RESUME.mask());
    assertTrue(Flag.HAS_PRESENCE.isSet(983041));
    assertFalse(Flag.RESUMED.isSet(983041));
  }

  @Test
  void fixturesAreReadInPlace() {
    assertEquals(128, Fixtures.json("crypto-data-128.json").getIntValue("keylength"));
  }
}
