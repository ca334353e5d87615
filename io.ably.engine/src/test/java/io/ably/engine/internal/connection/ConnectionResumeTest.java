package io.ably.engine.internal.connection;

import static io.ably.engine.internal.connection.MachineDriver.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ably.api.ClientOptions;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.connection.ConnectionSignal.TimerFired;
import io.ably.engine.internal.connection.ConnectionSignal.TransportFailed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The CONNECTED rows: losing the transport and resuming (RTN15), idle (RTN23), updates (RTN24). */
class ConnectionResumeTest {

  private static MachineDriver notRenewable() {
    ConnectionConfig config =
        MachineDriver.withTokenRenewable(
            MachineDriver.config(ClientOptions.builder().token("t").build()), false);
    return new MachineDriver(config, new ScriptedRandom(), null);
  }

  private static final String[] LOST_AND_RESUMING = {
    "cancel IDLE",
    "close transport",
    "start SUSPEND 120000ms",
    "emit CONNECTED->DISCONNECTED 80003 retryIn 15000ms",
    "open main.realtime.ably.net:443 resume=key-1",
    "start CONNECT 10000ms",
    "emit DISCONNECTED->CONNECTING"
  };

  @Test
  void transportLostWhileConnectedResumesAtOnceThroughDisconnectedRTN15aRTN15b1() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(true);
    d.expect(LOST_AND_RESUMING);
    assertEquals(80003, d.state.errorReason().code());
  }

  @Test
  void resumeWithTheSameIdKeepsMsgSerialResendsAndReattachesRTN15c6RTN19aRTN15e() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(false);
    d.connected("id-1", "key-2");
    d.expect(
        "cancel CONNECT",
        "cancel SUSPEND",
        "start IDLE 25000ms",
        "reattach channels resumed",
        "resend pending",
        "emit CONNECTING->CONNECTED");
    assertEquals("key-2", d.state.connectionKey());
    assertEquals("resume=key-2", nextConnectKey(d));
  }

  @Test
  void aSuccessfulResumeClearsTheDisconnectsErrorReasonRTN15c6() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(false);
    assertEquals(80003, d.state.errorReason().code());
    d.connected("id-1", "key-2");
    assertEquals(null, d.state.errorReason());
  }

  @Test
  void aNewConnectionWithoutAnErrorAfterADisconnectedMessageClearsTheErrorReasonRTN15h3() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.disconnectedMessage(error(80003, 400));
    d.connected("id-2", "key-2");
    assertEquals(null, d.state.errorReason());
  }

  @Test
  void aConnectionLostSoonAfterItReplacedALostOneBacksOffInsteadOfResumingAtOnce() {
    MachineDriver d = MachineDriver.singleHost().connectedOnce();
    d.transportFailed(false); // healthy connection lost: RTN15a, resume at once
    assertEquals(ConnectionState.CONNECTING, d.state());
    d.connected("id-1", "key-2");
    d.transportFailed(false); // lost again at once: continue the outage with RTB1 backoff
    assertEquals(ConnectionState.DISCONNECTED, d.state());
    ConnectionStatus.Disconnected first = (ConnectionStatus.Disconnected) d.state.status();
    assertEquals(2, first.outage().retryCount(), "the immediate resume counted as retry 1 (RTB1)");
    d.fire(TimerKind.RETRY);
    d.connected("id-1", "key-3");
    d.transportFailed(false);
    ConnectionStatus.Disconnected second = (ConnectionStatus.Disconnected) d.state.status();
    assertEquals(3, second.outage().retryCount(), "the backoff grows");
  }

  @Test
  void aFlappingConnectionReachesSuspendedOnceConnectionStateTtlHasPassedRTN14e() {
    MachineDriver d = MachineDriver.singleHost().connectedOnce();
    d.transportFailed(false);
    d.connected("id-1", "key-2");
    for (int i = 0; i < 100 && d.state() != ConnectionState.SUSPENDED; i++) {
      d.transportFailed(false);
      if (d.state() == ConnectionState.DISCONNECTED) {
        d.fire(TimerKind.RETRY);
      }
      if (d.state() == ConnectionState.CONNECTING) {
        d.connected("id-1", "key-" + i);
      }
    }
    assertEquals(ConnectionState.SUSPENDED, d.state());
  }

  @Test
  void aConnectionThatWasHealthyForLongIsResumedAtOnceEvenAfterAnOutageRTN15a() {
    MachineDriver d = MachineDriver.singleHost().connectedOnce();
    d.transportFailed(false);
    d.connected("id-1", "key-2");
    d.advance(Duration.ofSeconds(1)); // healthy: lived a second or more
    d.transportFailed(false);
    assertEquals(ConnectionState.CONNECTING, d.state());
  }

  @Test
  void failedResumeResetsMsgSerialAndReportsTheErrorRTN15c7RTN19a2() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(false);
    d.connected("id-2", "key-2", MachineDriver.details("key-2", 15_000L, null), error(80008, 400));
    d.expect(
        "cancel CONNECT",
        "cancel SUSPEND",
        "reset msgSerial",
        "start IDLE 25000ms",
        "reattach channels",
        "resend pending",
        "emit CONNECTING->CONNECTED 80008");
    assertEquals("id-2", d.state.connectionId());
    assertEquals(80008, d.state.errorReason().code());
  }

  @Test
  void disconnectedMessageWithATokenErrorRenewsAndResumesRTN15h2RTN22a() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.disconnectedMessage(error(40142, 401));
    d.expect(
        "cancel IDLE",
        "close transport",
        "start SUSPEND 120000ms",
        "emit CONNECTED->DISCONNECTED 40142 retryIn 15000ms",
        "open main.realtime.ably.net:443 resume=key-1 renewToken",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
    d.errorMessage(error(40142, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start RETRY 20000ms", // RTB1a: the immediate renewal was retry 1, so 4/3 of the step
        "emit CONNECTING->DISCONNECTED 40142 retryIn 20000ms");
  }

  @Test
  void disconnectedMessageWithATokenErrorAndNoMeansToRenewFailsRTN15h1() {
    MachineDriver d = notRenewable().connectedOnce();
    d.disconnectedMessage(error(40142, 401));
    d.expect(
        "cancel IDLE",
        "close transport",
        "fail pending 40171",
        "fail channels 40171",
        "emit CONNECTED->FAILED 40171");
  }

  @Test
  void disconnectedMessageWithAnotherErrorResumesAtOnceRTN15h3() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.disconnectedMessage(error(80003, 400));
    d.expect(LOST_AND_RESUMING);
  }

  @Test
  void errorMessageWhileConnectedFailsConnectionAndChannelsRTN15jRTL3a() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.errorMessage(error(50000, 500));
    d.expect(
        "cancel IDLE",
        "close transport",
        "fail pending 50000",
        "fail channels 50000",
        "emit CONNECTED->FAILED 50000");
    assertEquals(50000, d.state.errorReason().code());
  }

  @Test
  void tokenErrorDuringAResumeIsHandledAsRTN14bRTN15c5() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(false);
    d.errorMessage(error(40142, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "open main.realtime.ably.net:443 resume=key-1 renewToken",
        "start CONNECT 10000ms");
  }

  @Test
  void otherErrorDuringAResumeFailsRTN15c4() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.transportFailed(false);
    d.errorMessage(error(40000, 400));
    d.expect(
        "cancel CONNECT",
        "cancel SUSPEND",
        "close transport",
        "fail pending 40000",
        "fail channels 40000",
        "emit CONNECTING->FAILED 40000");
  }

  @Test
  void connectedWhileConnectedEmitsOnlyAnUpdateWithTheErrorRTN24RTN21RTN4h() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.connected("id-1", "key-3", MachineDriver.details("key-3", 20_000L, null), error(40160, 401));
    d.expect("cancel IDLE", "start IDLE 30000ms", "emit CONNECTED->CONNECTED UPDATE 40160");
    assertEquals("key-3", d.state.connectionKey());
    assertEquals(ConnectionState.CONNECTED, d.state());
  }

  @Test
  void nothingReceivedForMaxIdleIntervalPlusRequestTimeoutDropsAndResumesRTN23a() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.fire(TimerKind.IDLE);
    d.expect(
        "close transport",
        "start SUSPEND 120000ms",
        "emit CONNECTED->DISCONNECTED 80003 retryIn 15000ms",
        "open main.realtime.ably.net:443 resume=key-1",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
    assertEquals(408, d.state.errorReason().statusCode());
  }

  @Test
  void noMaxIdleIntervalMeansNoIdleTimerCD2h() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.connected("id-1", "key-1", MachineDriver.details("key-1", 0L, null), null);
    d.expect("cancel CONNECT", "reattach channels", "resend pending", "emit CONNECTING->CONNECTED");
  }

  @Test
  void withoutQueueMessagesPendingMessagesFailOnDisconnectedRTN7d() {
    ClientOptions options = ClientOptions.builder().key("a.b:c").queueMessages(false).build();
    MachineDriver d =
        new MachineDriver(MachineDriver.config(options), new ScriptedRandom(), null)
            .connectedOnce();
    d.transportFailed(false);
    d.expect(
        "cancel IDLE",
        "close transport",
        "start SUSPEND 120000ms",
        "fail pending 80003",
        "emit CONNECTED->DISCONNECTED 80003 retryIn 15000ms",
        "open main.realtime.ably.net:443 resume=key-1",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
  }

  @Test
  void unaskedClosedMessageReconnectsAndClosedWithAnErrorFails() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    d.closedMessage(null);
    assertEquals(
        "emit CONNECTED->DISCONNECTED 80017 retryIn 15000ms", MachineDriver.render(d.last).get(3));
    assertEquals(ConnectionState.CONNECTING, d.state());
    d.connected("id-1", "key-1");
    d.closedMessage(error(40000, 400));
    assertEquals(ConnectionState.FAILED, d.state());
  }

  @Test
  void failedReauthenticationKeepsTheConnectionRSA4c3UnlessForbiddenRSA4d() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    MachineState connected = d.state;
    d.authFailed(error(40170, 401));
    d.expect("log WARNING");
    assertEquals(connected.status(), d.state.status());
    assertEquals(80019, d.state.errorReason().code());
    d.authFailed(error(40300, 403));
    d.expect(
        "cancel IDLE",
        "close transport",
        "fail pending 80019",
        "fail channels 80019",
        "emit CONNECTED->FAILED 80019");
  }

  @Test
  void signalsFromAnAbandonedTransportOrTimerAreIgnoredRTN11b() {
    MachineDriver d = MachineDriver.standard().connectedOnce();
    long oldTransport = d.transportId();
    long oldIdleTimer = d.state.session().timers().get(TimerKind.IDLE);
    d.transportFailed(false);
    MachineState resuming = d.state;
    d.send(new TransportFailed(oldTransport, null, false, d.nowNanos));
    d.expectIgnored(resuming);
    d.send(new TimerFired(TimerKind.IDLE, oldIdleTimer, d.nowNanos));
    d.expectIgnored(resuming);
  }

  @Test
  void idAndKeyAreUnsetBeforeConnectingKeptWhileDisconnectedAndNullWhenClosedRTN8RTN9() {
    MachineDriver d = MachineDriver.singleHost();
    assertNull(d.state.connectionId()); // RTN8a
    d.connectedOnce();
    assertEquals("id-1", d.state.connectionId());
    assertEquals("key-1", d.state.recoverableConnectionKey());
    d.transportFailed(false);
    d.transportFailed(false);
    assertEquals(ConnectionState.DISCONNECTED, d.state());
    assertEquals("id-1", d.state.connectionId());
    assertEquals("key-1", d.state.connectionKey());
    d.fire(TimerKind.SUSPEND);
    assertEquals("id-1", d.state.connectionId()); // RTN8d: kept in SUSPENDED since spec 6.1
    assertNull(d.state.recoverableConnectionKey()); // RTN16g2
    d.fire(TimerKind.RETRY);
    d.connected("id-1", "key-2");
    d.close();
    assertNull(d.state.connectionId()); // RTN8d: CLOSING
    assertNull(d.state.connectionKey()); // RTN9d
    d.closedMessage(null);
    assertNull(d.state.connectionId()); // CLOSED
  }

  private static String nextConnectKey(MachineDriver d) {
    d.advance(Duration.ofSeconds(16)); // a healthy connection: resumed at once (RTN15a)
    d.transportFailed(false);
    String open = MachineDriver.render(d.last).get(4);
    return open.substring(open.lastIndexOf(' ') + 1);
  }
}
