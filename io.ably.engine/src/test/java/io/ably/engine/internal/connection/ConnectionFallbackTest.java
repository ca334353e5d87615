package io.ably.engine.internal.connection;

import static io.ably.engine.internal.connection.MachineDriver.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ClientOptions;
import io.ably.api.state.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fallback hosts while connecting (RTN17). */
class ConnectionFallbackTest {
  private static final String FALLBACK_DOMAIN = ".fallback.ably-realtime.com";

  /** Fails the primary in a qualifying way and reports the internet as up. */
  private static MachineDriver onFirstFallback() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(true);
    d.connectivity(true);
    return d;
  }

  @Test
  void aQualifyingFailureChecksConnectivityBeforeTheFallbacksRTN17jRTN17f() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(true);
    d.expect("cancel CONNECT", "close transport", "check connectivity", "start CONNECT 10000ms");
    assertEquals(ConnectionState.CONNECTING, d.state());
    d.connectivity(true);
    d.expect(
        "cancel CONNECT", "open main.a" + FALLBACK_DOMAIN + ":443 clean", "start CONNECT 10000ms");
  }

  @Test
  void fallbacksAreTriedOneAfterAnotherWithoutAnotherCheckThenDisconnectedRTN17j() {
    MachineDriver d = onFirstFallback();
    for (String letter : List.of("b", "c", "d", "e")) {
      d.transportFailed(true);
      d.expect(
          "cancel CONNECT",
          "close transport",
          "open main." + letter + FALLBACK_DOMAIN + ":443 clean",
          "start CONNECT 10000ms");
    }
    d.transportFailed(true);
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 80003 retryIn 15000ms");
  }

  @Test
  void fallbacksAreTriedInTheOrderOfTheInjectedRandomSourceRTN17j() {
    MachineDriver d =
        new MachineDriver(
            MachineDriver.config(ClientOptions.forKey("a.b:c")),
            new ScriptedRandom().alwaysFirstIndex(),
            null);
    d.connect();
    d.transportFailed(true);
    d.connectivity(true);
    List<String> hosts = new ArrayList<>();
    while (d.state() == ConnectionState.CONNECTING) {
      hosts.add(((ConnectionStatus.Connecting) d.state.status()).host());
      d.transportFailed(true);
    }
    assertEquals(
        List.of("b", "c", "d", "e", "a").stream().map(l -> "main." + l + FALLBACK_DOMAIN).toList(),
        hosts);
  }

  @Test
  void everyNewAttemptStartsAtThePrimaryRTN17i() {
    MachineDriver d = onFirstFallback();
    d.transportFailed(false);
    d.fire(TimerKind.RETRY);
    d.expect(
        "open main.realtime.ably.net:443 clean",
        "start CONNECT 10000ms",
        "emit DISCONNECTED->CONNECTING");
  }

  @Test
  void aFailureThatDoesNotQualifySkipsTheFallbacksRTN17f() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(false);
    d.expect(
        "cancel CONNECT",
        "close transport",
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 80003 retryIn 15000ms");
  }

  @Test
  void disconnectedWithStatus500To504QualifiesRTN17f1() {
    for (int status : new int[] {500, 503, 504}) {
      MachineDriver d = MachineDriver.standard();
      d.connect();
      d.disconnectedMessage(error(50003, status));
      assertEquals("check connectivity", MachineDriver.render(d.last).get(2), "status " + status);
    }
  }

  @Test
  void disconnectedWithOtherStatusesDoesNotQualifyRTN17f1() {
    for (int status : new int[] {400, 429, 505}) {
      MachineDriver d = MachineDriver.standard();
      d.connect();
      d.disconnectedMessage(error(80003, status));
      assertEquals(ConnectionState.DISCONNECTED, d.state(), "status " + status);
    }
  }

  @Test
  void aConnectTimeoutQualifiesRTN14cRSC15l2() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.fire(TimerKind.CONNECT);
    d.expect("close transport", "check connectivity", "start CONNECT 10000ms");
  }

  @Test
  void noInternetMeansDisconnectedWithoutTryingFallbacksRTN17j() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(true);
    d.connectivity(false);
    d.expect(
        "cancel CONNECT",
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 80003 retryIn 15000ms");
    assertEquals(80003, d.state.errorReason().cause().code());
  }

  @Test
  void aConnectivityCheckWithoutAnswerCountsAsOfflineRTN17j() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(true);
    d.fire(TimerKind.CONNECT);
    d.expect(
        "start SUSPEND 120000ms",
        "start RETRY 15000ms",
        "emit CONNECTING->DISCONNECTED 80003 retryIn 15000ms");
  }

  @Test
  void aStaleConnectivityAnswerIsIgnored() {
    MachineDriver d = MachineDriver.standard();
    d.connect();
    d.transportFailed(true);
    long staleCheck = ((ConnectionStatus.Connecting) d.state.status()).checkId();
    d.connectivity(true);
    MachineState onFallback = d.state;
    d.send(new ConnectionSignal.ConnectivityChecked(staleCheck, true, d.nowNanos));
    d.expectIgnored(onFallback);
  }

  @Test
  void noFallbacksWhenTheHostIsExplicitRTN17gREC2c6() {
    MachineDriver d = MachineDriver.singleHost();
    d.connect();
    d.transportFailed(true);
    assertEquals(ConnectionState.DISCONNECTED, d.state());
  }

  @Test
  void theConnectedStateRemembersTheFallbackHostForRestRTN17e() {
    MachineDriver d = onFirstFallback();
    d.connected("id-1", "key-1");
    ConnectionStatus.Connected connected = (ConnectionStatus.Connected) d.state.status();
    assertEquals("main.a" + FALLBACK_DOMAIN, connected.host());
  }

  @Test
  void aTokenErrorOnAFallbackRenewsOnTheSameHostRTN14b() {
    MachineDriver d = onFirstFallback();
    d.errorMessage(error(40142, 401));
    d.expect(
        "cancel CONNECT",
        "close transport",
        "open main.a" + FALLBACK_DOMAIN + ":443 clean renewToken",
        "start CONNECT 10000ms");
    assertTrue(((ConnectionStatus.Connecting) d.state.status()).onFallback());
  }
}
