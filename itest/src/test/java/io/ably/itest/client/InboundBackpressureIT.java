package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.message.MessageData;
import io.ably.api.state.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Inbound backpressure: a server floods MESSAGEs while the application's subscriber is blocked.
 * Above {@code inboundHighWaterMark} undelivered messages the client stops reading the socket
 * (Netty autoRead off), so the server's socket fills and the client's heap does not; once the
 * subscriber is released everything arrives, in order, with nothing lost or repeated.
 */
class InboundBackpressureIT {
  private static final int HIGH = 1_000;
  private static final int LOW = 100;
  private static final int FLOOD = 30_000;
  /** About 1 KiB per message, so the flood (~30 MiB) is far more than the socket buffers hold. */
  private static final String PAD = "x".repeat(1_000);

  private static String message(int i) {
    return "{\"action\":15,\"channel\":\"flood\",\"id\":\"f:" + i + "\",\"messages\":[{\"id\":\"f:" + i
        + ":0\",\"name\":\"m\",\"data\":\"" + i + " " + PAD + "\"}]}";
  }

  @Test
  void aFloodWhileTheSubscriberIsBlockedIsHeldBackAtTheHighWaterMarkAndThenDeliveredInOrder() throws Exception {
    HostileServer.Flood flood = new HostileServer.Flood();
    HostileServer.Script script = new HostileServer.Script() {
      @Override
      public void opened(HostileServer.Peer peer, int n) {
        peer.text(HostileServer.connected("c" + n, 15_000));
      }

      @Override
      public void received(HostileServer.Peer peer, int n, String frame) {
        if (frame.contains("\"action\":10")) { // ATTACH
          peer.text("{\"action\":11,\"channel\":\"flood\"}");
          peer.flood(FLOOD, InboundBackpressureIT::message, flood);
        } else {
          HostileServer.Script.super.received(peer, n, frame);
        }
      }
    };
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> seen = new ArrayList<>(); // written by the lane only, read after it is done
    AtomicLong delivered = new AtomicLong();
    CountDownLatch all = new CountDownLatch(1);
    try (HostileServer server = new HostileServer(script);
        RealtimeClient c = Ably.realtime(ClientOptions.builder()
            .key("flood.key:secret").host("127.0.0.1").port(server.port()).tls(false)
            .useBinaryProtocol(false).autoConnect(true)
            .inboundHighWaterMark(HIGH).inboundLowWaterMark(LOW).build())) {
      c.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(10, TimeUnit.SECONDS);
      c.channels().get("flood").subscribe(m -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        String data = ((MessageData.Text) m.data()).value();
        seen.add(Integer.parseInt(data.substring(0, data.indexOf(' '))));
        if (delivered.incrementAndGet() == FLOOD) {
          all.countDown();
        }
      });

      // The server's socket fills: the client stopped reading.
      assertTrue(flood.stalled.await(30, TimeUnit.SECONDS), "the server's socket never stayed full: " + flood.written.get());
      long writtenWhenFull = flood.written.get();
      long received = c.metrics().messagesReceived();
      // Undelivered (received, all but the one blocked in the subscriber) stay within the high mark
      // plus the one frame that crossed it.
      assertTrue(received <= HIGH + 1 + 1, "received " + received + " while blocked");
      assertTrue(received > HIGH, "received " + received + ": reading paused only above the mark");
      assertTrue(writtenWhenFull < FLOOD, "the whole flood fit in the socket buffers: " + writtenWhenFull);
      assertEquals(ConnectionState.CONNECTED, c.connection().state(), "the paused reads are not an idle connection");

      release.countDown();
      assertTrue(all.await(60, TimeUnit.SECONDS), "delivered " + delivered.get() + " of " + FLOOD);
      List<Integer> expected = new ArrayList<>(FLOOD);
      for (int i = 0; i < FLOOD; i++) {
        expected.add(i);
      }
      assertEquals(expected, seen, "every message once, in order");
      assertEquals(FLOOD, c.metrics().messagesReceived());
      assertEquals(ConnectionState.CONNECTED, c.connection().state());
    }
  }

  /**
   * A transport that opens while reading is paused still reads the server's CONNECTED: it is the
   * connection's own handshake. Before, the new socket did not read at all, so the client timed
   * out waiting for CONNECTED (80014) and backed off again and again while the application lagged.
   */
  @Test
  void aConnectionOpenedWhileReadingIsPausedReadsItsConnectedRTN14c() throws Exception {
    HostileServer.Flood flood = new HostileServer.Flood();
    java.util.concurrent.atomic.AtomicReference<HostileServer.Peer> first = new java.util.concurrent.atomic.AtomicReference<>();
    HostileServer.Script script = new HostileServer.Script() {
      @Override
      public void opened(HostileServer.Peer peer, int n) {
        first.compareAndSet(null, peer);
        peer.text(HostileServer.connected("c" + n, 15_000));
      }

      @Override
      public void received(HostileServer.Peer peer, int n, String frame) {
        if (frame.contains("\"action\":10")) { // ATTACH: only the first connection floods
          peer.text("{\"action\":11,\"channel\":\"flood\"}");
          if (n == 1) {
            peer.flood(FLOOD, InboundBackpressureIT::message, flood);
          }
        } else {
          HostileServer.Script.super.received(peer, n, frame);
        }
      }
    };
    CountDownLatch release = new CountDownLatch(1);
    StateRecorder r = new StateRecorder();
    try (HostileServer server = new HostileServer(script);
        RealtimeClient c = Ably.realtime(ClientOptions.builder()
            .key("flood.key:secret").host("127.0.0.1").port(server.port()).tls(false)
            .useBinaryProtocol(false).autoConnect(false)
            .realtimeRequestTimeout(java.time.Duration.ofSeconds(2))
            .inboundHighWaterMark(HIGH).inboundLowWaterMark(LOW).build())) {
      c.connection().onStateChange(r.changes::add);
      c.connection().connect();
      r.expect(ConnectionState.CONNECTING);
      r.expect(ConnectionState.CONNECTED);
      c.channels().get("flood").subscribe(m -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(flood.stalled.await(30, TimeUnit.SECONDS), "the client never stopped reading: " + flood.written.get());
      first.get().drop(); // the transport is lost while the application still lags
      // A socket that is not read does not see its end; the pings' writes do (the peer answers
      // them with a reset). The blocked subscriber holds the callback lane, so state changes are
      // not delivered now: read the state directly. Within 10 s: before the fix the second
      // socket's CONNECTED was never read, and each attempt ended after the 2 s request timeout
      // with 80014.
      boolean reconnected = io.ably.itest.support.Eventually.eventually(
          () -> {
            if (!"c2".equals(c.connection().id()) && c.connection().state() == ConnectionState.CONNECTED) {
              c.connection().ping();
            }
            return c.connection().state() == ConnectionState.CONNECTED && "c2".equals(c.connection().id());
          },
          java.time.Duration.ofSeconds(10));
      assertTrue(reconnected, "connected on the second socket while the subscriber lags: "
          + c.connection().state() + " " + c.connection().id() + " " + c.connection().errorReason());
      assertEquals(1, release.getCount(), "the subscriber is still blocked");
      release.countDown();
      r.expect(ConnectionState.DISCONNECTED); // delivered once the lane runs again, in order
      r.expect(ConnectionState.CONNECTING);
      r.expect(ConnectionState.CONNECTED);
    }
  }
}
