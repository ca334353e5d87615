package io.ably.engine.internal.connection;

import static io.ably.engine.internal.connection.MachineDriver.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ably.api.state.ConnectionState;
import org.junit.jupiter.api.Test;

/** close() in every state (RTN12) and the ways out of CLOSING. */
class ConnectionCloseTest {

  private static final String[] CLOSED_FROM_CLOSING = {
    "close transport", "fail pending 80017", "detach channels", "emit CLOSING->CLOSED"
  };

  @Test
  void closeWhileInitializedClosesAtOnce() {
    MachineDriver d = MachineDriver.standard();
    d.close();
    d.expect("fail pending 80017", "detach channels", "emit INITIALIZED->CLOSED");
  }

  @Test
  void closeWhileConnectedSendsCloseAndWaitsForClosedRTN12a() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.close();
    d.expect("cancel IDLE", "send CLOSE", "start CLOSE 10000ms", "emit CONNECTED->CLOSING");
    d.closedMessage(null);
    d.expect(
        "cancel CLOSE",
        "close transport",
        "fail pending 80017",
        "detach channels",
        "emit CLOSING->CLOSED");
  }

  @Test
  void noClosedWithinRealtimeRequestTimeoutClosesAnywayRTN12b() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.close();
    d.fire(TimerKind.CLOSE);
    d.expect(CLOSED_FROM_CLOSING);
  }

  @Test
  void transportDroppedWhileClosingClosesRTN12c() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.close();
    d.transportFailed(true);
    d.expect(
        "cancel CLOSE",
        "close transport",
        "fail pending 80017",
        "detach channels",
        "emit CLOSING->CLOSED");
  }

  @Test
  void closeWhileConnectingClosesOnceConnectedArrivesRTN12fRTN12a() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.close();
    d.expect("emit CONNECTING->CLOSING");
    d.connected("id-1", "key-1");
    d.expect("cancel CONNECT", "send CLOSE", "start CLOSE 10000ms");
    assertEquals(ConnectionState.CLOSING, d.state());
    d.closedMessage(null);
    d.expect(
        "cancel CLOSE",
        "close transport",
        "fail pending 80017",
        "detach channels",
        "emit CLOSING->CLOSED");
  }

  @Test
  void closeWhileConnectingClosesWhenTheAttemptFailsRTN12f() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.close();
    d.transportFailed(true);
    d.expect(
        "cancel CONNECT",
        "close transport",
        "fail pending 80017",
        "detach channels",
        "emit CLOSING->CLOSED");
  }

  @Test
  void closeWhileConnectingClosesWhenTheAttemptTimesOutRTN12f() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.close();
    d.fire(TimerKind.CONNECT);
    d.expect(CLOSED_FROM_CLOSING);
  }

  @Test
  void closeWhileConnectingClosesWhenAnErrorEndsTheAttemptRTN12f() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.close();
    d.errorMessage(error(40101, 401));
    assertEquals(ConnectionState.CLOSED, d.state());
  }

  @Test
  void closeWhileReconnectingStopsTheOutageTimerRTN12f() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(false);
    d.close();
    d.expect("cancel SUSPEND", "emit CONNECTING->CLOSING");
  }

  @Test
  void closeDuringTheConnectivityCheckClosesAtOnceThroughClosingRTN12f() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(true);
    d.close();
    d.expect(
        "cancel CONNECT",
        "emit CONNECTING->CLOSING",
        "fail pending 80017",
        "detach channels",
        "emit CLOSING->CLOSED");
  }

  @Test
  void closeWhileDisconnectedAbortsTheRetriesAndClosesAtOnceRTN12d() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(false);
    d.close();
    d.expect(
        "cancel RETRY",
        "cancel SUSPEND",
        "fail pending 80017",
        "detach channels",
        "emit DISCONNECTED->CLOSED");
    assertEquals(0, d.state.session().timers().size());
  }

  @Test
  void closeWhileSuspendedAbortsTheRetriesAndClosesAtOnceRTN12d() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(false);
    d.fire(TimerKind.SUSPEND);
    d.close();
    d.expect("cancel RETRY", "fail pending 80017", "detach channels", "emit SUSPENDED->CLOSED");
  }

  @Test
  void closeWhileClosingClosedOrFailedDoesNothing() {
    MachineDriver closing = MachineDriver.standard().connectedOnce();
    closing.close();
    MachineState before = closing.state;
    closing.close();
    closing.expectIgnored(before);

    MachineDriver closed = MachineDriver.standard();
    closed.close();
    before = closed.state;
    closed.close();
    closed.expectIgnored(before);

    MachineDriver failed = MachineDriver.standard().connectedOnce();
    failed.errorMessage(error(40000, 400));
    before = failed.state;
    failed.close();
    failed.expectIgnored(before);
  }

  @Test
  void aFatalErrorInsteadOfClosedFailsTheConnection() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.close();
    d.errorMessage(error(50000, 500));
    d.expect(
        "cancel CLOSE",
        "close transport",
        "fail pending 50000",
        "fail channels 50000",
        "emit CLOSING->FAILED 50000");
  }

  @Test
  void aConnectedAfterCloseWasSentChangesNothing() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.close();
    MachineState closing = d.state;
    d.connected("id-1", "key-1");
    d.expectIgnored(closing);
  }
}
