package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.itest.AblyTestServer;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault-injection surface of the testkit, each fault observed by a bare client. */
class TestkitFaultsIT {
  private static final String QUERY = "key=" + AblyTestServer.DEFAULT_KEY.replace(":", "%3A");
  private static final Duration IDLE = Duration.ofMillis(300);

  private static AblyTestServer server() {
    return AblyTestServer.builder().maxIdleInterval(IDLE).start();
  }

  private static ProtocolMessage awaitAction(RawClient c, Action a) throws InterruptedException {
    return c.await(pm -> pm.action() == a);
  }

  private static ProtocolMessage ping(RawClient c, String id) throws InterruptedException {
    c.send(ProtocolMessage.builder(Action.HEARTBEAT).id(id).build());
    return c.await(pm -> pm.action() == Action.HEARTBEAT && id.equals(pm.id()));
  }

  @Test
  void stoppedHeartbeatsLeaveTheClientInSilenceUntilRestarted() throws Exception {
    try (AblyTestServer server = server(); RawClient c = RawClient.connect(server.port(), QUERY, WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      awaitAction(c, Action.HEARTBEAT);
      server.faults().stopHeartbeats(true);
      c.drain();
      assertTrue(c.noneWithin(IDLE.multipliedBy(3), pm -> pm.action() == Action.HEARTBEAT));
      server.faults().stopHeartbeats(false);
      awaitAction(c, Action.HEARTBEAT);
    }
  }

  @Test
  void aBlackholedServerAnswersNothingAndADelayedOneAnswersLate() throws Exception {
    try (AblyTestServer server = AblyTestServer.builder().maxIdleInterval(Duration.ZERO).start();
        RawClient c = RawClient.connect(server.port(), QUERY, WireFormat.MSGPACK)) {
      awaitAction(c, Action.CONNECTED);
      server.faults().blackholeOutbound(true);
      c.send(ProtocolMessage.builder(Action.HEARTBEAT).id("lost").build());
      assertTrue(c.noneWithin(Duration.ofMillis(500), pm -> true), "nothing may arrive");
      server.faults().blackholeOutbound(false);
      ping(c, "back");

      server.faults().delayOutbound(Duration.ofMillis(400));
      long start = System.nanoTime();
      ping(c, "late");
      assertTrue(System.nanoTime() - start >= Duration.ofMillis(400).toNanos(), "the echo must be delayed");
      server.faults().delayOutbound(Duration.ZERO);

      server.faults().blackholeInbound(true);
      c.send(ProtocolMessage.builder(Action.ATTACH).channel("ignored").build());
      assertTrue(c.noneWithin(Duration.ofMillis(500), pm -> pm.action() == Action.ATTACHED));
    }
  }

  /**
   * A blackhole ends as a partition ends for TCP: the sockets that lost frames are broken, and
   * whoever connects or resumes next hears everything, its CONNECTED first (issue #19: a client
   * that reconnected between the break and the lift lost its CONNECTED to the hole).
   */
  @Test
  void endBlackholesBreaksEverySocketAndTheNextConnectionHearsItsConnectedRTN15c6() throws Exception {
    try (AblyTestServer server = server()) {
      ProtocolMessage connected;
      try (RawClient c = RawClient.connect(server.port(), QUERY, WireFormat.JSON)) {
        connected = awaitAction(c, Action.CONNECTED);
        server.faults().blackholeOutbound(true);
        server.faults().blackholeInbound(true);
        c.send(ProtocolMessage.builder(Action.HEARTBEAT).id("lost").build());
        server.faults().endBlackholes();
        c.awaitClosed();
        assertFalse(c.drain().stream().anyMatch(pm -> "lost".equals(pm.id())), "the ping went into the hole");
      }
      String resume = QUERY + "&resume=" + connected.connectionDetails().connectionKey().replace("!", "%21");
      try (RawClient again = RawClient.connect(server.port(), resume, WireFormat.JSON)) {
        ProtocolMessage resumed = awaitAction(again, Action.CONNECTED);
        assertEquals(connected.connectionId(), resumed.connectionId(), "resumed, not a new connection");
        assertEquals(null, resumed.error());
        ping(again, "heard");
      }
    }
  }

  /**
   * A delay of the client's frames must not let one overtake another when it ends: TCP delivers a
   * connection's bytes in order. Before, a publish sent as the delay ended was processed before
   * the delayed one, whose msgSerial then looked like a resend (RTN19a): acknowledged, never
   * published.
   */
  @Test
  void anInboundDelayThatEndsKeepsTheClientsFramesInOrderSoNoPublishIsMistakenForAResend() throws Exception {
    try (AblyTestServer server = server();
        RawClient c = RawClient.connect(server.port(), QUERY, WireFormat.JSON);
        RawClient sub = RawClient.connect(server.port(), QUERY, WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      awaitAction(sub, Action.CONNECTED);
      sub.send(ProtocolMessage.builder(Action.ATTACH).channel("ordered").build());
      sub.await(pm -> pm.action() == Action.ATTACHED);
      server.faults().delayInbound(Duration.ofMillis(300));
      c.send(ProtocolMessage.builder(Action.MESSAGE).channel("ordered").msgSerial(0L)
          .messages(List.of(Message.builder().name("first").build())).build());
      server.faults().delayInbound(Duration.ZERO);
      c.send(ProtocolMessage.builder(Action.MESSAGE).channel("ordered").msgSerial(1L)
          .messages(List.of(Message.builder().name("second").build())).build());
      assertEquals(0L, c.await(pm -> pm.action() == Action.ACK).msgSerial(), "the first publish is acknowledged first");
      assertEquals("first", sub.await(pm -> pm.action() == Action.MESSAGE).messages().get(0).name());
      assertEquals("second", sub.await(pm -> pm.action() == Action.MESSAGE).messages().get(0).name());
    }
  }

  @Test
  void disconnectAllSendsDisconnectedWithTheErrorAndTheConnectionStaysResumableRTN15h() throws Exception {
    try (AblyTestServer server = server()) {
      ProtocolMessage connected;
      try (RawClient c = RawClient.connect(server.port(), QUERY, WireFormat.JSON)) {
        connected = awaitAction(c, Action.CONNECTED);
        server.faults().disconnectAll(ErrorInfo.of(ErrorCode.INTERNAL_CONNECTION_ERROR, "maintenance"));
        ProtocolMessage disconnected = awaitAction(c, Action.DISCONNECTED);
        assertEquals(50002, disconnected.error().code());
        c.awaitClosed();
      }
      String resume = QUERY + "&resume=" + connected.connectionDetails().connectionKey().replace("!", "%21");
      try (RawClient again = RawClient.connect(server.port(), resume, WireFormat.JSON)) {
        assertEquals(connected.connectionId(), awaitAction(again, Action.CONNECTED).connectionId());
      }
    }
  }

  @Test
  void aRestartLosesEveryConnectionAndItsStateRTN15c7() throws Exception {
    try (AblyTestServer server = server()) {
      ProtocolMessage connected;
      try (RawClient c = RawClient.connect(server.port(), QUERY, WireFormat.JSON)) {
        connected = awaitAction(c, Action.CONNECTED);
        server.faults().restart();
        c.awaitClosed();
      }
      assertEquals(0, server.liveConnectionCount());
      String resume = QUERY + "&resume=" + connected.connectionDetails().connectionKey().replace("!", "%21");
      try (RawClient again = RawClient.connect(server.port(), resume, WireFormat.JSON)) {
        ProtocolMessage reconnected = awaitAction(again, Action.CONNECTED);
        assertNotEquals(connected.connectionId(), reconnected.connectionId());
        assertTrue(reconnected.error().is(ErrorCode.RESUME_FAILED));
      }
    }
  }

  @Test
  void severalLoopbackHostsServeOneAppTogether() throws Exception {
    try (AblyTestServer server =
            AblyTestServer.builder().host("127.0.0.1").host("127.0.0.2").host("127.0.0.3").start();
        RawClient sub = RawClient.connect("127.0.0.2", server.port(), QUERY, WireFormat.JSON);
        RawClient pub = RawClient.connect("127.0.0.3", server.port(), QUERY, WireFormat.MSGPACK)) {
      assertEquals(3, server.addresses().size());
      awaitAction(sub, Action.CONNECTED);
      awaitAction(pub, Action.CONNECTED);
      sub.send(ProtocolMessage.builder(Action.ATTACH).channel("shared").build());
      awaitAction(sub, Action.ATTACHED);
      pub.send(
          ProtocolMessage.builder(Action.MESSAGE)
              .channel("shared")
              .msgSerial(0L)
              .messages(List.of(Message.ofText("across", "hosts")))
              .build());
      assertEquals("across", awaitAction(sub, Action.MESSAGE).messages().get(0).name());
      assertFalse(server.addresses().get(1).equals(server.addresses().get(2)));
    }
  }
}
