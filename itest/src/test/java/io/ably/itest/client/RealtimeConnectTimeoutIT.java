package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RTN14c: a server that accepts the TCP connection and never answers. */
class RealtimeConnectTimeoutIT {

  @Test
  void aSilentServerTimesTheAttemptOutAfterRealtimeRequestTimeoutRTN14c() throws Exception {
    // The kernel completes the TCP handshake for the backlog; nothing ever reads or answers.
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        RealtimeClient c =
            Ably.realtime(
                ClientOptions.builder()
                    .key("app.k:s")
                    .host("127.0.0.1")
                    .port(silent.getLocalPort())
                    .tls(false)
                    .realtimeRequestTimeout(Duration.ofMillis(700))
                    .disconnectedRetryTimeout(Duration.ofSeconds(60))
                    .autoConnect(false)
                    .build())) {
      StateRecorder r = new StateRecorder();
      c.connection().onStateChange(r.changes::add);
      long start = System.nanoTime();
      c.connection().connect();
      r.expect(ConnectionState.CONNECTING);
      ConnectionStateChange disconnected = r.expect(ConnectionState.DISCONNECTED);
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(tookMillis >= 650 && tookMillis < 3_000, "after realtimeRequestTimeout (700 ms): " + tookMillis);
      // The engine reports the timeout as such: 80014 "connection timed out", not a generic 80003.
      assertEquals(ErrorCode.CONNECTION_TIMED_OUT.code(), disconnected.reason().code(), disconnected.toString());
      assertEquals(ErrorCode.CONNECTION_TIMED_OUT.statusCode(), disconnected.reason().statusCode());
      assertTrue(disconnected.reason().message().contains("700 ms"), disconnected.reason().message());
      assertNotNull(disconnected.retryIn());
      assertTrue(disconnected.retryIn().compareTo(Duration.ofSeconds(48)) >= 0, "RTB1: 60 s × [0.8, 1]");
      assertEquals(disconnected.reason(), c.connection().errorReason());
      r.expectNothing(Duration.ofMillis(200));
    }
  }
}
