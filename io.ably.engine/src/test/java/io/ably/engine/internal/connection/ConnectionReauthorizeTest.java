package io.ably.engine.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ably.api.state.ConnectionState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A new token for the connection (RTC8: authorize(); RTN22: the service asked), in each state. */
class ConnectionReauthorizeTest {
  private static Transition reauthorize(MachineDriver d) {
    return d.send(new ConnectionSignal.Reauthorize(d.nowNanos));
  }

  @Test
  void whenConnectedTheTokenIsSentInBandAndNothingElseChangesRTC8aRTN22() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    MachineState before = d.state;
    reauthorize(d);
    d.expect("send AUTH");
    assertEquals(before, d.state);
    // The service's answer is a CONNECTED with the same id: an UPDATE (RTC8a1, RTN24).
    d.connected("id-1", "key-1");
    assertEquals(ConnectionState.CONNECTED, d.state());
    assertEquals("id-1", d.state.connectionId());
  }

  @Test
  void whenConnectingTheAttemptIsReplacedByOneWithTheNewTokenWithoutAnEventRTC8b() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    long first = d.transportId();
    d.advance(Duration.ofSeconds(3));
    reauthorize(d);
    d.expect(
        "cancel CONNECT",
        "close transport",
        "open main.realtime.ably.net:443 clean",
        "start CONNECT 10000ms");
    assertNotEquals(first, d.transportId());
    assertEquals(ConnectionState.CONNECTING, d.state());
    int events = d.changes().size();
    d.connected("id-1", "key-1");
    assertEquals(ConnectionState.CONNECTED, d.state());
    assertEquals(events + 1, d.changes().size());
  }

  @Test
  void whenDisconnectedTheClientConnectsAtOnceWithTheNewTokenRTC8c() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(false); // lost: resuming at once
    d.transportFailed(false); // the resume fails too: DISCONNECTED, retry later
    assertEquals(ConnectionState.DISCONNECTED, d.state());
    reauthorize(d);
    assertEquals(ConnectionState.CONNECTING, d.state());
  }

  @Test
  void whenClosedOrFailedTheClientConnectsAgainRTC8c() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.close();
    d.closedMessage(null);
    assertEquals(ConnectionState.CLOSED, d.state());
    reauthorize(d);
    assertEquals(ConnectionState.CONNECTING, d.state());
  }

  @Test
  void whileClosingTheNewTokenIsIgnored() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.close();
    MachineState before = d.state;
    reauthorize(d);
    d.expectIgnored(before);
  }
}
