package io.ably.engine.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ChannelEvent;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.wire.Flag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelStateMachineTest {
  private static final int RESUMED = Flag.RESUMED.mask();
  private static final ErrorInfo DENIED = ErrorInfo.of(ErrorCode.OPERATION_NOT_PERMITTED, "no");
  private static final ErrorInfo SERVER_DETACH =
      ErrorInfo.of(ErrorCode.CHANNEL_OPERATION_FAILED, "detached by server");
  private static final List<String> ATTACH_SENT =
      List.of("SendAttach(null)", "StartTimer(ATTACH,10000ms)");

  private static List<String> seq(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  /** An ATTACHED channel (attach request 1, channelSerial s1). */
  private static ChannelDriver attachedChannel() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    d.attached(0, "s1");
    assertEquals(ChannelState.ATTACHED, d.state.state());
    return d;
  }

  /** A SUSPENDED channel after an attach timeout, with its RETRY timer armed. */
  private static ChannelDriver suspendedChannel() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    d.fire(ChannelTimerKind.ATTACH);
    assertEquals(ChannelState.SUSPENDED, d.state.state());
    return d;
  }

  // ---- RTL4 attach ----

  @Test
  void rtl4c_attachWhenConnectedSendsAttachStartsTimerAndCompletesOnAttached() {
    ChannelDriver d = ChannelDriver.connected();
    assertEquals(seq(ATTACH_SENT, "Emit(INITIALIZED>ATTACHING)"), d.attach(1));
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "ClearPresence",
            "Emit(ATTACHING>ATTACHED)",
            "CompleteAttach(1)"),
        d.attached(0, "s1"));
    assertFalse(d.armed(ChannelTimerKind.ATTACH));
  }

  @Test
  void rtp1_attachedWithHasPresenceStartsPresenceSync() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "StartPresenceSync",
            "Emit(ATTACHING>ATTACHED)",
            "CompleteAttach(1)"),
        d.attached(Flag.HAS_PRESENCE.mask(), "s1"));
  }

  @Test
  void rtl4a_attachWhenAttachedCompletesAtOnce() {
    ChannelDriver d = attachedChannel();
    assertEquals(List.of("CompleteAttach(2)"), d.attach(2));
    assertEquals(ChannelState.ATTACHED, d.state.state());
  }

  @Test
  void rtl4h_attachWhileAttachingCompletesWithTheSameAttached() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    assertEquals(List.of(), d.attach(2));
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "ClearPresence",
            "Emit(ATTACHING>ATTACHED)",
            "CompleteAttach(1)",
            "CompleteAttach(2)"),
        d.attached(0, "s1"));
  }

  @Test
  void rtl4h_attachWhileDetachingAttachesAfterDetached() {
    ChannelDriver d = attachedChannel();
    assertEquals(
        List.of("SendDetach", "StartTimer(DETACH,10000ms)", "Emit(ATTACHED>DETACHING)"),
        d.detach(2));
    assertEquals(List.of(), d.attach(3));
    assertEquals(
        seq(
            List.of(
                "CancelTimer(DETACH)",
                "ClearPresence",
                "Emit(DETACHING>DETACHED)",
                "CompleteDetach(2)"),
            "SendAttach(null)",
            "StartTimer(ATTACH,10000ms)",
            "Emit(DETACHED>ATTACHING)"),
        d.detached(null));
    assertEquals(List.of(3L), d.state.scope().pendingAttaches());
  }

  @Test
  void rtl4g_attachFromFailedClearsErrorReason() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "ClearPresence",
            "Emit(ATTACHING>FAILED 40160)",
            "FailAttach(1,40160)"),
        d.error(DENIED));
    assertEquals(DENIED, d.state.scope().errorReason());
    assertEquals(seq(ATTACH_SENT, "Emit(FAILED>ATTACHING)"), d.attach(2));
    assertNull(d.state.scope().errorReason());
  }

  @Test
  void rtl4b_attachFailsWhenConnectionClosingClosedSuspendedOrFailed() {
    Map<ConnectionState, Integer> codes =
        Map.of(
            ConnectionState.CLOSING, 80017,
            ConnectionState.CLOSED, 80017,
            ConnectionState.SUSPENDED, 80002,
            ConnectionState.FAILED, 80000);
    for (Map.Entry<ConnectionState, Integer> e : codes.entrySet()) {
      ChannelDriver d = new ChannelDriver(ChannelDriver.CONFIG, () -> 0L, e.getKey());
      assertEquals(List.of("FailAttach(1," + e.getValue() + ")"), d.attach(1), e.getKey().name());
      assertEquals(ChannelState.INITIALIZED, d.state.state());
    }
  }

  @Test
  void rtl4i_attachWhileConnectionNotYetConnectedWaitsThenSendsAttach() {
    List<ConnectionState> notYet =
        List.of(
            ConnectionState.INITIALIZED, ConnectionState.CONNECTING, ConnectionState.DISCONNECTED);
    for (ConnectionState c : notYet) {
      ChannelDriver d = new ChannelDriver(ChannelDriver.CONFIG, () -> 0L, c);
      assertEquals(List.of("Emit(INITIALIZED>ATTACHING)"), d.attach(1), c.name());
      assertFalse(((ChannelStatus.Attaching) d.state.status()).sent());
      assertEquals(List.of(), d.connection(ConnectionState.CONNECTING, null));
      assertEquals(ATTACH_SENT, d.connection(ConnectionState.CONNECTED, null));
      assertTrue(((ChannelStatus.Attaching) d.state.status()).sent());
    }
  }

  @Test
  void rtl4f_attachTimeoutSuspendsWith90007AndFailsTheAttach() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    long start = d.nowNanos;
    assertEquals(
        List.of(
            "StartTimer(RETRY,15000ms)", "Emit(ATTACHING>SUSPENDED 90007)", "FailAttach(1,90007)"),
        d.fire(ChannelTimerKind.ATTACH));
    assertEquals(10 * ChannelDriver.SECOND_NANOS, d.nowNanos - start);
    ChannelStatus.Suspended s = (ChannelStatus.Suspended) d.state.status();
    assertEquals(d.nowNanos + 15 * ChannelDriver.SECOND_NANOS, s.retryAtNanos());
    assertEquals(90007, d.state.scope().errorReason().code());
  }

  @Test
  void rtl13b_suspendedRetriesForeverWithRtb1Backoff() {
    ChannelDriver d = suspendedChannel();
    assertEquals(seq(ATTACH_SENT, "Emit(SUSPENDED>ATTACHING)"), d.fire(ChannelTimerKind.RETRY));
    assertEquals(
        List.of("StartTimer(RETRY,20000ms)", "Emit(ATTACHING>SUSPENDED 90007)"),
        d.fire(ChannelTimerKind.ATTACH));
    d.fire(ChannelTimerKind.RETRY);
    assertEquals(
        List.of("StartTimer(RETRY,25000ms)", "Emit(ATTACHING>SUSPENDED 90007)"),
        d.fire(ChannelTimerKind.ATTACH));
    d.fire(ChannelTimerKind.RETRY);
    assertEquals("StartTimer(RETRY,30000ms)", d.fire(ChannelTimerKind.ATTACH).get(0));
    d.fire(ChannelTimerKind.RETRY);
    assertEquals("StartTimer(RETRY,30000ms)", d.fire(ChannelTimerKind.ATTACH).get(0));
  }

  @Test
  void rtl13b_retryBackoffStartsOverAfterASuccessfulAttach() {
    ChannelDriver d = suspendedChannel();
    d.fire(ChannelTimerKind.RETRY);
    d.attached(0, "s1");
    d.detached(SERVER_DETACH); // RTL13a re-attach, attempt 0
    assertEquals(
        List.of("StartTimer(RETRY,15000ms)", "Emit(ATTACHING>SUSPENDED 90007)"),
        d.fire(ChannelTimerKind.ATTACH));
  }

  @Test
  void rtl13b_retryTimerFiringWhileConnectionDownWaitsForConnected() {
    ChannelDriver d = suspendedChannel();
    assertEquals(List.of(), d.connection(ConnectionState.DISCONNECTED, null));
    assertEquals(List.of(), d.fire(ChannelTimerKind.RETRY));
    assertEquals(ChannelState.SUSPENDED, d.state.state());
    assertEquals(
        seq(ATTACH_SENT, "Emit(SUSPENDED>ATTACHING)"),
        d.connection(ConnectionState.CONNECTED, null));
  }

  @Test
  void rtl4c1_rtl4k_rtl4l_attachCarriesChannelSerialParamsAndRequestedModes() {
    int modes = Flag.PUBLISH.mask() | Flag.SUBSCRIBE.mask();
    ChannelConfig config =
        new ChannelConfig(
            10 * ChannelDriver.SECOND_NANOS,
            15 * ChannelDriver.SECOND_NANOS,
            modes,
            Map.of("rewind", "1"));
    ChannelDriver d = new ChannelDriver(config, () -> 0L, ConnectionState.CONNECTED);
    d.attach(1);
    ChannelEffect.SendAttach first = (ChannelEffect.SendAttach) d.last.effects().get(0);
    assertEquals(new ChannelEffect.SendAttach(null, modes, Map.of("rewind", "1")), first);
    d.attached(modes, "s1");
    d.serial("s2");
    d.connection(ConnectionState.DISCONNECTED, null);
    d.connection(ConnectionState.CONNECTED, null);
    assertEquals(
        new ChannelEffect.SendAttach("s2", modes, Map.of("rewind", "1")),
        d.last.effects().get(0));
  }

  @Test
  void rtl4m_rtl4k1_rtl2i_modesParamsAndBacklogDecodedFromAttached() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    int granted = Flag.PUBLISH.mask() | Flag.SUBSCRIBE.mask();
    d.attached(granted | Flag.HAS_BACKLOG.mask(), "s1", Map.of("rewind", "1"), null);
    ChannelStatus.Attached a = (ChannelStatus.Attached) d.state.status();
    assertEquals(granted, a.modes());
    assertEquals(Map.of("rewind", "1"), a.params());
    ChannelStateChange change = d.last.changes().get(0);
    assertTrue(change.hasBacklog());
    assertFalse(change.resumed());

    ChannelDriver e = ChannelDriver.connected();
    e.attach(1);
    e.attached(0, "s1");
    assertEquals(Map.of(), ((ChannelStatus.Attached) e.state.status()).params());
  }

  @Test
  void rtl2d_errorOnAttachedIsTheChangeReasonNotFatal() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    ErrorInfo warning = ErrorInfo.of(ErrorCode.CHANNEL_CONTINUITY_LOST, "lost");
    d.attached(0, "s1", null, warning);
    assertEquals(ChannelState.ATTACHED, d.state.state());
    assertEquals(warning, d.last.changes().get(0).reason());
  }

  @Test
  void rtl2f_resumedFlagIsReportedOnTheAttachedChange() {
    ChannelDriver d = attachedChannel();
    assertFalse(d.changes.get(d.changes.size() - 1).resumed());
    d.connection(ConnectionState.DISCONNECTED, null);
    d.connection(ConnectionState.CONNECTED, null);
    assertEquals(
        List.of("CancelTimer(ATTACH)", "ClearPresence", "Emit(ATTACHING>ATTACHED resumed)"),
        d.attached(RESUMED, "s2"));
    assertTrue(((ChannelStatus.Attached) d.state.status()).resumed());
  }

  @Test
  void rtl12_attachedWithoutResumedWhileAttachedIsAnUpdateWithTheReason() {
    ChannelDriver d = attachedChannel();
    ErrorInfo lost = ErrorInfo.of(ErrorCode.CHANNEL_CONTINUITY_LOST, "continuity lost");
    assertEquals(
        List.of("StartPresenceSync", "Emit(ATTACHED>UPDATE 90003)"),
        d.attached(Flag.HAS_PRESENCE.mask(), "s9", null, lost));
    ChannelStateChange update = d.last.changes().get(0);
    assertEquals(ChannelEvent.UPDATE, update.event());
    assertFalse(update.resumed());
    assertEquals(lost, update.reason());
    assertEquals("s9", d.state.scope().attachSerial());
  }

  @Test
  void rtl12_attachedWithResumedWhileAttachedIsSilent() {
    ChannelDriver d = attachedChannel();
    assertEquals(List.of("Log"), d.attached(RESUMED, "s5"));
    assertEquals(ChannelState.ATTACHED, d.state.state());
    assertEquals("s5", d.state.scope().channelSerial());
    assertEquals("s1", d.state.scope().attachSerial());
  }

  // ---- RTL15 serials ----

  @Test
  void rtl15b_channelSerialFollowsAttachedAndMessagesAndIsClearedOnDetached() {
    ChannelDriver d = attachedChannel();
    assertEquals("s1", d.state.scope().channelSerial());
    assertEquals(List.of(), d.serial("s2"));
    assertEquals("s2", d.state.scope().channelSerial());
    d.detach(2);
    d.detached(null);
    assertNull(d.state.scope().channelSerial());
    assertEquals(List.of(), d.serial("s3"));
    assertNull(d.state.scope().channelSerial());
  }

  @Test
  void rtl15b2_channelSerialIsClearedOnFailed() {
    ChannelDriver d = attachedChannel();
    d.error(DENIED);
    assertNull(d.state.scope().channelSerial());
  }

  @Test
  void rtl15c_attachSerialOnlyFromAttachedWithoutResumed() {
    ChannelDriver d = attachedChannel();
    assertEquals("s1", ((ChannelStatus.Attached) d.state.status()).attachSerial());
    d.connection(ConnectionState.DISCONNECTED, null);
    d.connection(ConnectionState.CONNECTED, null);
    d.attached(RESUMED, "s3");
    assertEquals("s1", d.state.scope().attachSerial());
    assertEquals("s3", d.state.scope().channelSerial());
    d.connection(ConnectionState.DISCONNECTED, null);
    d.connection(ConnectionState.CONNECTED, null);
    d.attached(0, "s4");
    assertEquals("s4", d.state.scope().attachSerial());
    assertEquals("s4", ((ChannelStatus.Attached) d.state.status()).attachSerial());
  }

  // ---- RTL5 detach ----

  @Test
  void rtl5a_detachWhenInitializedOrDetachedCompletesAtOnce() {
    ChannelDriver d = ChannelDriver.connected();
    assertEquals(List.of("CompleteDetach(1)"), d.detach(1));
    assertEquals(ChannelState.INITIALIZED, d.state.state());
    d = attachedChannel();
    d.detach(2);
    d.detached(null);
    assertEquals(List.of("CompleteDetach(3)"), d.detach(3));
  }

  @Test
  void rtl5b_detachWhenFailedFailsWith90001() {
    ChannelDriver d = attachedChannel();
    d.error(DENIED);
    assertEquals(List.of("FailDetach(2,90001)"), d.detach(2));
    assertEquals(ChannelState.FAILED, d.state.state());
  }

  @Test
  void rtl5d_detachSendsDetachAndCompletesOnDetached() {
    ChannelDriver d = attachedChannel();
    assertEquals(
        List.of("SendDetach", "StartTimer(DETACH,10000ms)", "Emit(ATTACHED>DETACHING)"),
        d.detach(2));
    assertEquals(List.of(), d.detach(3)); // RTL5i: waits for the same DETACHED
    assertEquals(
        List.of(
            "CancelTimer(DETACH)",
            "ClearPresence",
            "Emit(DETACHING>DETACHED)",
            "CompleteDetach(2)",
            "CompleteDetach(3)"),
        d.detached(null));
  }

  @Test
  void rtl5i_detachWhileAttachingDetachesAfterAttached() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    assertEquals(List.of(), d.detach(2));
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "ClearPresence",
            "Emit(ATTACHING>ATTACHED)",
            "CompleteAttach(1)",
            "SendDetach",
            "StartTimer(DETACH,10000ms)",
            "Emit(ATTACHED>DETACHING)"),
        d.attached(0, "s1"));
  }

  @Test
  void rtl5i_rtl5j_detachWaitingOnAnAttachThatTimesOutEndsDetached() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    d.detach(2);
    assertEquals(
        List.of(
            "ClearPresence",
            "Emit(ATTACHING>DETACHED 90007)",
            "CompleteDetach(2)",
            "FailAttach(1,90007)"),
        d.fire(ChannelTimerKind.ATTACH));
    assertFalse(d.armed(ChannelTimerKind.RETRY));
  }

  @Test
  void rtl5j_detachWhenSuspendedDetachesAtOnce() {
    ChannelDriver d = suspendedChannel();
    assertEquals(
        List.of(
            "CancelTimer(RETRY)", "ClearPresence", "Emit(SUSPENDED>DETACHED)", "CompleteDetach(2)"),
        d.detach(2));
  }

  @Test
  void rtl5l_detachWhenConnectionNotConnectedDetachesAtOnce() {
    ChannelDriver d = attachedChannel();
    d.connection(ConnectionState.DISCONNECTED, null);
    assertEquals(
        List.of("ClearPresence", "Emit(ATTACHED>DETACHED)", "CompleteDetach(2)"), d.detach(2));
  }

  @Test
  void rtl5f_detachTimeoutReturnsToAttachedWith90007() {
    ChannelDriver d = attachedChannel();
    ChannelStatus before = d.state.status();
    d.detach(2);
    d.attach(3);
    assertEquals(
        List.of(
            "Emit(DETACHING>ATTACHED 90007 resumed)", "FailDetach(2,90007)", "CompleteAttach(3)"),
        d.fire(ChannelTimerKind.DETACH));
    assertEquals(before, d.state.status());
  }

  @Test
  void rtl5k_attachedWhileDetachingOrDetachedSendsDetachAgain() {
    ChannelDriver d = attachedChannel();
    d.detach(2);
    assertEquals(List.of("SendDetach"), d.attached(0, "s2"));
    assertEquals(ChannelState.DETACHING, d.state.state());
    assertTrue(d.armed(ChannelTimerKind.DETACH));
    d.detached(null);
    assertEquals(List.of("SendDetach"), d.attached(0, "s3"));
    assertEquals(ChannelState.DETACHED, d.state.state());
  }

  // ---- RTL13 server-initiated detach ----

  @Test
  void rtl13a_serverDetachedWhileAttachedReattachesAtOnceWithTheError() {
    ChannelDriver d = attachedChannel();
    assertEquals(
        List.of("SendAttach(s1)", "StartTimer(ATTACH,10000ms)", "Emit(ATTACHED>ATTACHING 90000)"),
        d.detached(SERVER_DETACH));
    assertEquals(SERVER_DETACH, d.state.scope().errorReason());
  }

  @Test
  void rtl13a_serverDetachedWithoutErrorReportsADefault90001() {
    ChannelDriver d = attachedChannel();
    assertEquals("Emit(ATTACHED>ATTACHING 90001)", d.detached(null).get(2));
  }

  @Test
  void rtl13a_serverDetachedWhileSuspendedReattaches() {
    ChannelDriver d = suspendedChannel();
    assertEquals(
        List.of(
            "CancelTimer(RETRY)",
            "SendAttach(null)",
            "StartTimer(ATTACH,10000ms)",
            "Emit(SUSPENDED>ATTACHING 90000)"),
        d.detached(SERVER_DETACH));
  }

  @Test
  void rtl13b_serverDetachedWhileAttachingSuspendsAndRetries() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "StartTimer(RETRY,15000ms)",
            "Emit(ATTACHING>SUSPENDED 90000)",
            "FailAttach(1,90000)"),
        d.detached(SERVER_DETACH));
    assertEquals(seq(ATTACH_SENT, "Emit(SUSPENDED>ATTACHING)"), d.fire(ChannelTimerKind.RETRY));
  }

  // ---- RTL14 ----

  @Test
  void rtl14_channelErrorFailsTheChannelAndItsPendingStages() {
    ChannelDriver d = attachedChannel();
    d.detach(2);
    assertEquals(
        List.of(
            "CancelTimer(DETACH)",
            "ClearPresence",
            "Emit(DETACHING>FAILED 40160)",
            "FailDetach(2,40160)"),
        d.error(DENIED));
    ChannelStatus.Failed failed = assertInstanceOf(ChannelStatus.Failed.class, d.state.status());
    assertEquals(DENIED, failed.error());
    assertEquals(List.of("Log"), d.error(DENIED));
  }

  // ---- RTL3 connection side effects ----

  @Test
  void rtl3a_connectionFailedFailsAttachingAndAttachedChannels() {
    ErrorInfo failedReason = ErrorInfo.of(ErrorCode.CONNECTION_FAILED, "gone");
    ChannelDriver d = attachedChannel();
    assertEquals(
        List.of("ClearPresence", "Emit(ATTACHED>FAILED 80000)"),
        d.connection(ConnectionState.FAILED, failedReason));
    ChannelDriver e = ChannelDriver.connected();
    e.attach(1);
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "ClearPresence",
            "Emit(ATTACHING>FAILED 80000)",
            "FailAttach(1,80000)"),
        e.connection(ConnectionState.FAILED, failedReason));
  }

  @Test
  void rtl3b_connectionClosedDetachesAttachingAndAttachedChannels() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    assertEquals(List.of(), d.connection(ConnectionState.CLOSING, null));
    assertEquals(
        List.of(
            "CancelTimer(ATTACH)",
            "ClearPresence",
            "Emit(ATTACHING>DETACHED)",
            "FailAttach(1,80017)"),
        d.connection(ConnectionState.CLOSED, null));
    ChannelDriver e = attachedChannel();
    assertEquals(
        List.of("ClearPresence", "Emit(ATTACHED>DETACHED)"),
        e.connection(ConnectionState.CLOSED, null));
    assertNull(e.state.scope().channelSerial());
  }

  @Test
  void rtl3c_connectionSuspendedSuspendsChannelsWithoutARetryTimer() {
    ChannelDriver d = attachedChannel();
    ErrorInfo suspended = ErrorInfo.of(ErrorCode.CONNECTION_SUSPENDED, "suspended");
    assertEquals(
        List.of("Emit(ATTACHED>SUSPENDED 80002)"),
        d.connection(ConnectionState.SUSPENDED, suspended));
    assertFalse(d.armed(ChannelTimerKind.RETRY));
    assertEquals("s1", d.state.scope().channelSerial()); // kept for the re-attach
  }

  @Test
  void rtl3c_connectionSuspendedCancelsASuspendedChannelsRetryTimer() {
    ChannelDriver d = suspendedChannel();
    assertEquals(List.of("CancelTimer(RETRY)"), d.connection(ConnectionState.SUSPENDED, null));
    assertEquals(ChannelState.SUSPENDED, d.state.state());
  }

  @Test
  void rtl3c_rtl4b_connectionSuspendedWhileDetachingDetachesAndFailsAQueuedAttach() {
    ChannelDriver d = attachedChannel();
    d.detach(2);
    d.attach(3);
    assertEquals(
        List.of(
            "CancelTimer(DETACH)",
            "ClearPresence",
            "Emit(DETACHING>DETACHED)",
            "CompleteDetach(2)",
            "FailAttach(3,80002)"),
        d.connection(ConnectionState.SUSPENDED, null));
  }

  @Test
  void rtl3d_connectedResendsDetachForADetachingChannel() {
    ChannelDriver d = attachedChannel();
    d.detach(2);
    d.connection(ConnectionState.DISCONNECTED, null);
    assertEquals(
        List.of("CancelTimer(DETACH)", "SendDetach", "StartTimer(DETACH,10000ms)"),
        d.connection(ConnectionState.CONNECTED, null));
    assertEquals(ChannelState.DETACHING, d.state.state());
  }

  @Test
  void rtl3d_connectedReattachesSuspendedChannels() {
    ChannelDriver d = attachedChannel();
    d.connection(ConnectionState.SUSPENDED, null);
    d.connection(ConnectionState.CONNECTING, null);
    assertEquals(
        List.of("SendAttach(s1)", "StartTimer(ATTACH,10000ms)", "Emit(SUSPENDED>ATTACHING)"),
        d.connection(ConnectionState.CONNECTED, null));
  }

  @Test
  void rtl3d_connectedReattachesAttachedChannelsThroughAttaching() {
    ChannelDriver d = attachedChannel();
    assertEquals(List.of(), d.connection(ConnectionState.DISCONNECTED, null));
    assertEquals(
        List.of("SendAttach(s1)", "StartTimer(ATTACH,10000ms)", "Emit(ATTACHED>ATTACHING)"),
        d.connection(ConnectionState.CONNECTED, null));
  }

  @Test
  void rtl3d_connectedResendsAttachForAnAttachingChannelWithoutAStateChange() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    d.connection(ConnectionState.DISCONNECTED, null);
    assertEquals(
        List.of("CancelTimer(ATTACH)", "SendAttach(null)", "StartTimer(ATTACH,10000ms)"),
        d.connection(ConnectionState.CONNECTED, null));
  }

  @Test
  void rtl3d_connectionStatesLeaveInitializedDetachedAndFailedChannelsAlone() {
    ChannelDriver d = ChannelDriver.connected();
    for (ConnectionState c : ConnectionState.values()) {
      assertEquals(List.of(), d.connection(c, null), c.name());
    }
    assertEquals(ChannelState.INITIALIZED, d.state.state());
  }

  // ---- timers ----

  @Test
  void staleTimerIsLoggedAndIgnored() {
    ChannelDriver d = ChannelDriver.connected();
    d.attach(1);
    long attachTimer = d.state.status().timerId();
    d.attached(0, "s1");
    assertEquals(
        List.of("Log"),
        d.apply(new ChannelSignal.TimerFired(d.nowNanos, ChannelTimerKind.ATTACH, attachTimer)));
    assertEquals(ChannelState.ATTACHED, d.state.state());
  }
}
