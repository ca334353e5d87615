package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.api.state.ChannelState;
import io.ably.itest.AblyTestServer;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A member whose connection is lost and does not come back leaves, after the testkit's grace
 * period, with a LEAVE the service synthesises; this client applies it by timestamp (RTP2b1) and
 * removes the member.
 */
class PresenceConnectionLostIT {
  private static final String QUERY = "key=" + AblyTestServer.DEFAULT_KEY.replace(":", "%3A");

  @Test
  void aMemberWhoseConnectionIsLostLeavesWithASynthesisedLeaveAfterTheGracePeriodRtp2b1() throws Exception {
    try (AblyTestServer server = AblyTestServer.builder().presenceLeaveDelay(Duration.ofMillis(300)).start();
        RealtimeClient watcher = Ably.realtime(ClientOptions.builder()
            .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false).build())) {
      Channel room = watcher.channels().get("room");
      BlockingQueue<PresenceMessage> seen = new LinkedBlockingQueue<>();
      room.presence().subscribe(seen::add);
      room.whenState(ChannelState.ATTACHED).toCompletableFuture().get(20, TimeUnit.SECONDS);
      String memberConnection;
      try (RawClient member = RawClient.connect(server.port(), QUERY + "&clientId=alice", WireFormat.JSON)) {
        memberConnection = member.await(pm -> pm.action() == Action.CONNECTED).connectionId();
        member.send(ProtocolMessage.builder(Action.ATTACH).channel("room").build());
        member.await(pm -> pm.action() == Action.ATTACHED);
        member.send(ProtocolMessage.builder(Action.PRESENCE).channel("room").msgSerial(0L)
            .presence(List.of(PresenceMessage.of(PresenceAction.ENTER, null, MessageData.text("hi")))).build());
        member.await(pm -> pm.action() == Action.ACK);
        PresenceMessage entered = seen.poll(20, TimeUnit.SECONDS);
        assertNotNull(entered, "no ENTER");
        assertEquals(PresenceAction.ENTER, entered.action());
        assertEquals(1, room.presence().get().toCompletableFuture().get(20, TimeUnit.SECONDS).size());
      } // the socket goes away without CLOSE: the testkit keeps the member for the grace period
      PresenceMessage left = seen.poll(20, TimeUnit.SECONDS);
      assertNotNull(left, "no LEAVE after the grace period");
      assertEquals(PresenceAction.LEAVE, left.action());
      assertEquals("alice", left.clientId());
      assertEquals(memberConnection, left.connectionId());
      assertFalse(left.id() != null && left.id().startsWith(memberConnection), "synthesised by the service");
      assertEquals(List.of(), room.presence().get().toCompletableFuture().get(20, TimeUnit.SECONDS));
      assertEquals(0, room.metrics().presenceMembers());
    }
  }
}
