package io.ably.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CountersTest {
  @Test
  void pingPercentilesUseTheLast64RoundTripsByNearestRank() {
    Counters c = new Counters();
    assertNull(c.lastPing());
    assertNull(c.pingPercentile(50));
    for (int ms = 1; ms <= 100; ms++) {
      c.ping(Duration.ofMillis(ms));
    }
    assertEquals(100, c.pings());
    assertEquals(Duration.ofMillis(100), c.lastPing());
    // The window holds 37..100 ms: 64 values; the median by nearest rank is the 32nd.
    assertEquals(Duration.ofMillis(68), c.pingPercentile(50));
    assertEquals(Duration.ofMillis(100), c.pingPercentile(99));
    assertEquals(Duration.ofMillis(37), c.pingPercentile(0));
  }

  @Test
  void framesBytesAndReconnectsAccumulate() {
    Counters c = new Counters();
    c.transportOpened();
    assertEquals(0, c.reconnects());
    c.transportOpened();
    c.frameSent(10);
    c.frameReceived(7);
    c.frameReceived(3);
    c.listenerError();
    assertEquals(1, c.reconnects());
    assertEquals(1, c.framesSent());
    assertEquals(10, c.bytesSent());
    assertEquals(2, c.framesReceived());
    assertEquals(10, c.bytesReceived());
    assertEquals(1, c.listenerErrors());
  }
}
