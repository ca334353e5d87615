package io.ably.engine.internal.connection;

import static io.ably.engine.internal.connection.MachineDriver.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ably.api.ClientOptions;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.connection.ConnectionSignal.ClosedReceived;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connecting and retrying: the INITIALIZED, CONNECTING, DISCONNECTED and SUSPENDED rows. */
class ConnectionStateMachineTest {
  private static final String SINGLE = "127.0.0.1";

  private static MachineDriver notRenewable() {
    ConnectionConfig config =
        MachineDriver.withTokenRenewable(
            MachineDriver.config(ClientOptions.builder().token("t").host(SINGLE).build()), false);
    return new MachineDriver(config, new ScriptedRandom(), null);
  }

  // ---- RTN11: connect() in each state ----

  @Test
  void connectFromInitializedOpensThePrimaryAndBoundsTheAttemptRTN11fRTN14cRTN17i() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.expect(
        "open main.realtime.ably.net:443 clean",
        "start CONNECT 10000ms",
        "emit INITIALIZED->CONNECTING");
    assertEquals(ConnectionState.CONNECTING, d.state());
  }

  @Test
  void connectedWhileConnectingEntersConnectedAndReattachesRTN6RTL3dRTN19aRTN23a() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.connected("id-1", "key-1");
    d.expect(
        "cancel CONNECT",
        "start IDLE 25000ms",
        "reattach channels",
        "resend pending",
        "emit CONNECTING->CONNECTED");
    assertEquals("id-1", d.state.connectionId());
    assertEquals("key-1", d.state.connectionKey());
  }

  @Test
  void aConnectedWithoutIdKeyOrDetailsIsAProtocolErrorThatFailsTheAttempt() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.connected(null, null, null, null); // {"action":4}: PROTOCOL.md 2.4, ably-js throws
    assertEquals(ConnectionState.DISCONNECTED, d.state());
    assertEquals(80013, d.state.errorReason().code());
    assertNull(d.state.connectionId());
  }

  @Test
  void aConnectedWithAnIdButNoKeyIsAProtocolErrorThatFailsTheAttempt() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.connected("id-1", null, null, null);
    assertEquals(ConnectionState.DISCONNECTED, d.state());
    assertEquals(80013, d.state.errorReason().code());
    assertNull(d.state.connectionId());
  }

  @Test
  void anEmptyConnectedWhileConnectedDropsTheTransportAndResumesWithTheKnownKey() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.connected("id-1", "key-1");
    d.connected(null, null, null, null);
    assertEquals(ConnectionState.CONNECTING, d.state());
    assertEquals(80013, d.state.errorReason().code());
    assertEquals("id-1", d.state.connectionId()); // the resume keeps what the good CONNECTED gave
    assertEquals("key-1", d.state.connectionKey());
  }

  @Test
  void connectWhileConnectingOrConnectedDoesNothingRTN11e() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    MachineState connecting = d.state;
    d.connect();
    d.expectIgnored(connecting);
    d.connected("id-1", "key-1");
    MachineState connected = d.state;
    d.connect();
    d.expectIgnored(connected);
  }

  @Test
  void connectWhileDisconnectedSkipsTheWaitRTN11c() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(false);
    d.connect();
    d.expect(
        "cancel RETRY",
        "open 127.0.0.1:443 clean",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
    assertEquals(List.of(TimerKind.CONNECT, TimerKind.SUSPEND), armed(d));
  }

  @Test
  void connectWhileSuspendedSkipsTheWaitRTN11c() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(false);
    d.fire(TimerKind.SUSPEND);
    d.connect();
    d.expect(
        "cancel RETRY",
        "open 127.0.0.1:443 clean",
        "start CONNECT 10000ms",
        "emit SUSPENDED->CONNECTING");
  }

  @Test
  void connectFromFailedReinitializesAndClearsTheErrorRTN11d() {
    MachineDriver d = MachineDriver.singleHost();
    d.connectedOnce();
    d.errorMessage(error(40101, 401));
    d.connect();
    d.expect(
        "reinitialize channels",
        "reset msgSerial",
        "open 127.0.0.1:443 clean",
        "start CONNECT 10000ms",
        "emit FAILED->CONNECTING");
    assertNull(d.state.errorReason());
  }

  @Test
  void connectFromClosedReinitializesAndConnectsCleanRTN11d() {
    MachineDriver d = MachineDriver.singleHost();
    d.connectedOnce();
    d.close();
    d.closedMessage(null);
    d.connect();
    d.expect(
        "reinitialize channels",
        "reset msgSerial",
        "open 127.0.0.1:443 clean",
        "start CONNECT 10000ms",
        "emit CLOSED->CONNECTING");
  }

  @Test
  void connectWhileClosingStartsANewTransportAndIgnoresTheOldOneRTN11b() {
    MachineDriver d = MachineDriver.singleHost();
    d.connectedOnce();
    d.close();
    long oldTransport = d.transportId();
    d.connect();
    d.expect(
        "cancel CLOSE",
        "close transport",
        "detach channels",
        "reinitialize channels",
        "reset msgSerial",
        "open 127.0.0.1:443 clean",
        "start CONNECT 10000ms",
        "emit CLOSING->CONNECTING");
    MachineState connecting = d.state;
    d.send(new ClosedReceived(oldTransport, null, d.nowNanos));
    d.expectIgnored(connecting);
  }

  // ---- RTN14: opening failures ----

  @Test
  void connectTimeoutWithoutFallbacksGoesDisconnectedWithRetryRTN14cRTN14d() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.fire(TimerKind.CONNECT);
    d.expect(
        "close transport",
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 80014 retryIn 15000ms");
    assertEquals(80014, d.state.errorReason().code());
  }

  @Test
  void disconnectedMessageWhileConnectingGoesDisconnectedRTN14d() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.disconnectedMessage(error(80003, 400));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 80003 retryIn 15000ms");
  }

  @Test
  void retryTimerStartsANewAttemptOnThePrimaryRTN14dRTN17i() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(false);
    d.fire(TimerKind.RETRY);
    d.expect(
        "open main.realtime.ably.net:443 clean",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
  }

  @Test
  void retryDelaysBackOffOneFourThirdsFiveThirdsThenTwiceRTB1a() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    List<Duration> retryIns = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      d.transportFailed(false);
      retryIns.add(d.last.changes().get(0).retryIn());
      d.fire(TimerKind.RETRY);
    }
    assertEquals(
        List.of(
            Duration.ofSeconds(15),
            Duration.ofSeconds(20),
            Duration.ofSeconds(25),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30)),
        retryIns);
  }

  @Test
  void theFirstDisconnectedAfterALostTransportReportsTheFirstBackoffStepAndResumesAtOnceRTN14dRTB1RTN15a() {
    MachineDriver d = MachineDriver.singleHost().connectedOnce();
    d.transportFailed(false);
    // UTS RTB1 retry delays, ably-js: retryIn is the first step; the resume is still immediate
    assertEquals(Duration.ofSeconds(15), d.last.changes().get(0).retryIn());
    assertEquals(ConnectionState.CONNECTING, d.state());
    d.transportFailed(false); // the resume failed: the second step, 4/3 (RTB1a)
    assertEquals(Duration.ofSeconds(20), d.last.changes().get(0).retryIn());
    d.fire(TimerKind.RETRY);
    d.transportFailed(false);
    assertEquals(Duration.ofSeconds(25), d.last.changes().get(0).retryIn());
  }

  @Test
  void retryDelayIsScaledByTheInjectedJitterRTB1b() {
    MachineDriver d = MachineDriver.singleHost();
    d.random.doubles(0.5);
    d.connect();
    d.transportFailed(false);
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start SUSPEND 120000ms",
        "start RETRY 13500ms",
        "emit CONNECTING->DISCONNECTED 80003 retryIn 13500ms");
  }

  @Test
  void disconnectedForConnectionStateTtlGoesSuspendedRTN14eRTN7eRTL3c() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(false);
    d.fire(TimerKind.SUSPEND);
    d.expect(
        "cancel RETRY",
        "start RETRY 30000ms",
        "fail pending 80002",
        "suspend channels 80002",
        "emit DISCONNECTED->SUSPENDED 80002 retryIn 30000ms");
    assertEquals(80003, d.state.errorReason().cause().code());
  }

  @Test
  void failedRetriesSuspendOnceConnectionStateTtlHasPassedSinceTheFirstFailureRTN14e() {
    ClientOptions options =
        ClientOptions.builder().key("a.b:c").host(SINGLE)
            .disconnectedRetryTimeout(Duration.ofSeconds(7)).build();
    MachineDriver d = new MachineDriver(MachineDriver.config(options), new ScriptedRandom(), null);
    d.connect();
    long firstFailureNanos = d.nowNanos;
    d.transportFailed(false);
    while (d.state() == ConnectionState.DISCONNECTED) {
      long retryAt = ((ConnectionStatus.Disconnected) d.state.status()).retryAtNanos();
      long suspendAt = firstFailureNanos + 120 * MachineDriver.SECOND_NANOS;
      if (retryAt < suspendAt) {
        d.fire(TimerKind.RETRY);
        d.transportFailed(false);
      } else {
        d.fire(TimerKind.SUSPEND);
      }
    }
    assertEquals(ConnectionState.SUSPENDED, d.state());
    assertEquals(120 * MachineDriver.SECOND_NANOS, d.nowNanos - firstFailureNanos);
  }

  @Test
  void connectionStateTtlExpiringDuringAnAttemptSuspendsWhenItFailsRTN14e() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(false);
    d.fire(TimerKind.RETRY);
    d.fire(TimerKind.SUSPEND);
    d.expect();
    assertEquals(ConnectionState.CONNECTING, d.state());
    d.transportFailed(false);
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start RETRY 30000ms",
        "fail pending 80002",
        "suspend channels 80002",
        "emit CONNECTING->SUSPENDED 80002 retryIn 30000ms");
  }

  @Test
  void suspendedRetriesEverySuspendedRetryTimeoutRTN14eRTN14f() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(false);
    d.fire(TimerKind.SUSPEND);
    for (int i = 0; i < 3; i++) {
      d.fire(TimerKind.RETRY);
      d.expect("open 127.0.0.1:443 clean", "start CONNECT 10000ms", "emit SUSPENDED->CONNECTING");
      d.fire(TimerKind.CONNECT);
      d.expect(
          "close transport",
          "start RETRY 30000ms",
          "fail pending 80002",
          "suspend channels 80002",
          "emit CONNECTING->SUSPENDED 80002 retryIn 30000ms");
    }
  }

  @Test
  void suspendedConnectionsStillTryToResumeRTN14h() {
    MachineDriver d = MachineDriver.singleHost();
    d.connectedOnce();
    d.transportFailed(false);
    d.transportFailed(false);
    d.fire(TimerKind.SUSPEND);
    d.fire(TimerKind.RETRY);
    d.expect(
        "open 127.0.0.1:443 resume=key-1", "start CONNECT 10000ms", "emit SUSPENDED->CONNECTING");
  }

  @Test
  void connectionStateTtlComesFromConnectionDetailsRTN21CD2f() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.connected("id-1", "key-1", MachineDriver.details("key-1", 15_000L, 60_000L), null);
    d.transportFailed(false);
    d.expect(
        "cancel IDLE",
        "close transport",
        "start SUSPEND 60000ms",
        "emit CONNECTED->DISCONNECTED 80003 retryIn 15000ms",
        "open 127.0.0.1:443 resume=key-1",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
  }

  // ---- RTN14b, RTN14g, RSA4: errors and auth while connecting ----

  @Test
  void tokenErrorWhileConnectingRenewsOnceThenGoesDisconnectedRTN14b() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.errorMessage(error(40142, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "open main.realtime.ably.net:443 clean renewToken",
        "start CONNECT 10000ms");
    assertEquals(ConnectionState.CONNECTING, d.state());
    d.errorMessage(error(40142, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 40142 retryIn 15000ms");
  }

  @Test
  void tokenErrorWithoutMeansToRenewFailsWith40171RSA4a2() {
    MachineDriver d = notRenewable();
    d.connect();
    d.errorMessage(error(40142, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "fail pending 40171",
        "fail channels 40171",
        "emit CONNECTING->FAILED 40171");
    assertEquals(40142, d.state.errorReason().cause().code());
  }

  @Test
  void errorMessageWhileConnectingFailsRTN14gRTN14a() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.errorMessage(error(40101, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "fail pending 40101",
        "fail channels 40101",
        "emit CONNECTING->FAILED 40101");
    assertEquals(40101, d.state.errorReason().code());
    assertNull(d.state.connectionId());
  }

  @Test
  void failingToGetATokenWhileConnectingGoesDisconnectedWith80019RSA4c1RSA4c2() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.authFailed(error(40170, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 80019 retryIn 15000ms");
    assertEquals(401, d.state.errorReason().statusCode());
    assertEquals(40170, d.state.errorReason().cause().code());
  }

  @Test
  void aForbiddenTokenRequestFailsTheConnectionWith80019And403RSA4d() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.authFailed(error(40300, 403));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "fail pending 80019",
        "fail channels 80019",
        "emit CONNECTING->FAILED 80019");
    assertEquals(403, d.state.errorReason().statusCode());
  }

  // ---- RTN16: recovery ----

  @Test
  void recoverKeyIsSentUntilTheFirstConnectedAndNeverAgainRTN16k() {
    MachineDriver d =
        new MachineDriver(
            MachineDriver.config(ClientOptions.builder().key("a.b:c").host(SINGLE).build()),
            new ScriptedRandom(),
            "recovered-key");
    d.connect();
    d.expect(
        "open 127.0.0.1:443 recover=recovered-key",
        "start CONNECT 10000ms",
        "emit INITIALIZED->CONNECTING");
    d.transportFailed(false);
    d.fire(TimerKind.RETRY);
    d.expect(
        "open 127.0.0.1:443 recover=recovered-key",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
    d.connected("id-9", "key-9");
    d.expect(
        "cancel CONNECT",
        "cancel SUSPEND",
        "start IDLE 25000ms",
        "reattach channels resumed",
        "resend pending",
        "emit CONNECTING->CONNECTED");
    d.advance(Duration.ofSeconds(16)); // healthy, so resumed at once (RTN15a)
    d.transportFailed(false);
    assertEquals("open 127.0.0.1:443 resume=key-9", MachineDriver.render(d.last).get(4));
  }

  @Test
  void aFailedRecoverResetsMsgSerialAndReportsTheErrorRTN16lRTN16fRTN15c7() {
    MachineDriver d =
        new MachineDriver(
            MachineDriver.config(ClientOptions.builder().key("a.b:c").host(SINGLE).build()),
            new ScriptedRandom(),
            "recovered-key");
    d.connect();
    d.connected("id-new", "key-new", MachineDriver.details("key-new", 15_000L, null),
        error(80008, 400));
    d.expect(
        "cancel CONNECT",
        "reset msgSerial",
        "start IDLE 25000ms",
        "reattach channels",
        "resend pending",
        "emit CONNECTING->CONNECTED 80008");
    assertEquals(80008, d.state.errorReason().code());
  }

  private static List<TimerKind> armed(MachineDriver d) {
    List<TimerKind> kinds = new ArrayList<>(d.state.session().timers().keySet());
    kinds.sort(null);
    return kinds;
  }
}
