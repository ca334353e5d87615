package io.ably.engine.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  @Test
  void backoffCoefficientIsOneFourThirdsFiveThirdsThenTwoRTB1a() {
    assertEquals(1.0, RetryBackoff.backoffCoefficient(1));
    assertEquals(4.0 / 3, RetryBackoff.backoffCoefficient(2));
    assertEquals(5.0 / 3, RetryBackoff.backoffCoefficient(3));
    assertEquals(2.0, RetryBackoff.backoffCoefficient(4));
    assertEquals(2.0, RetryBackoff.backoffCoefficient(5));
    assertEquals(2.0, RetryBackoff.backoffCoefficient(1_000));
  }

  @Test
  void retryCountStartsAtOneRTB1a() {
    assertThrows(IllegalArgumentException.class, () -> RetryBackoff.backoffCoefficient(0));
  }

  @Test
  void jitterCoefficientSpansPointEightToOneRTB1b() {
    assertEquals(1.0, RetryBackoff.jitterCoefficient(0.0));
    assertEquals(0.9, RetryBackoff.jitterCoefficient(0.5), 1e-12);
    assertEquals(0.8, RetryBackoff.jitterCoefficient(Math.nextDown(1.0)), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> RetryBackoff.jitterCoefficient(1.0));
    assertThrows(IllegalArgumentException.class, () -> RetryBackoff.jitterCoefficient(-0.1));
  }

  @Test
  void delayIsTheProductOfInitialBackoffAndJitterRTB1() {
    long fifteenSeconds = 15_000_000_000L;
    assertEquals(fifteenSeconds, RetryBackoff.delayNanos(fifteenSeconds, 1, 0.0));
    assertEquals(30_000_000_000L, RetryBackoff.delayNanos(fifteenSeconds, 4, 0.0));
    assertEquals(18_000_000_000L, RetryBackoff.delayNanos(fifteenSeconds, 2, 0.5));
    assertEquals(1L, RetryBackoff.delayNanos(1, 1, 0.99));
  }
}
