package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.generators.SourceDSL.longs;

import io.ably.testsupport.PropertyCheck;
import org.junit.jupiter.api.Test;

/** Properties of the action table (TR2) over generated wire numbers (QuickTheories). */
class ActionProperties {
  @Test
  void numbersOutsideTheTableHaveNoActionAndNumbersInsideItTheirOwnTR2() {
    PropertyCheck.forAll(
        1_000,
        longs().all().mix(longs().between(-3, 25)), // any long, and often the table's edges
        value -> {
          if (value < 0 || value > 21) {
            assertNull(Action.fromWire(value));
          } else {
            assertEquals(value.longValue(), (long) Action.fromWire(value).wireValue());
          }
        });
  }
}
