package io.ably.itest.interop;

import static io.ably.itest.interop.Sdk.TIMEOUT;
import static io.ably.itest.interop.Sdk.completing;
import static io.ably.itest.interop.Sdk.get;
import static io.ably.itest.interop.Sdk.isTerminal;

import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ably-java clients of one test, all pointed at one testkit server the way PROTOCOL.md §11.1
 * describes: {@code restHost} and {@code realtimeHost} on loopback, the server's {@code port},
 * {@code tls=false}, no environment, no fallback hosts. {@link #closeAll} closes every client made
 * here, pass or fail.
 */
final class SdkClients {
  private static final String HOST = "127.0.0.1";

  private final AblyTestServer server;
  private final List<AblyRealtime> realtimes = new ArrayList<>();
  private final List<AblyRest> rests = new ArrayList<>();

  SdkClients(AblyTestServer server) {
    this.server = server;
  }

  /**
   * Options for this server that do not connect until told to.
   *
   * @param key the key, or {@code null} for a client that is to use token auth
   */
  ClientOptions options(Protocol protocol, String clientId, TestKey key) throws AblyException {
    ClientOptions options = key != null ? new ClientOptions(key.keyStr()) : new ClientOptions();
    options.restHost = HOST;
    options.realtimeHost = HOST;
    options.port = server.port();
    options.tls = false;
    options.environment = null;
    options.useBinaryProtocol = protocol.binary;
    options.autoConnect = false;
    options.clientId = clientId;
    options.realtimeRequestTimeout = 10_000;
    options.disconnectedRetryTimeout = 1_000;
    return options;
  }

  /** A realtime client of this server that does not connect until told to. */
  AblyRealtime client(Protocol protocol, String clientId, TestKey key) throws AblyException {
    return realtime(options(protocol, clientId, key));
  }

  /** A realtime client with these options, closed by {@link #closeAll}. */
  AblyRealtime realtime(ClientOptions options) throws AblyException {
    AblyRealtime client = new AblyRealtime(options);
    realtimes.add(client);
    return client;
  }

  /** A REST client with these options, closed by {@link #closeAll}. */
  AblyRest rest(ClientOptions options) throws AblyException {
    AblyRest client = new AblyRest(options);
    rests.add(client);
    return client;
  }

  /** A realtime client of this server, CONNECTED, that has finished acting on CONNECTED. */
  AblyRealtime connected(Protocol protocol, String clientId, TestKey key) throws Exception {
    return connected(options(protocol, clientId, key));
  }

  /**
   * A realtime client with these options, CONNECTED, that has finished acting on CONNECTED.
   *
   * <p>ably-java 1.5 tells listeners about CONNECTED before it re-attaches its ATTACHING channels
   * (RTL3d, {@code ChannelBase.setConnected}, which carries a TODO about explicit attaches made
   * right after connecting). A test that attaches as soon as it hears CONNECTED races that loop:
   * its channel can be attached twice, and the second ATTACHED then lands in a later detach or
   * attach. So a probe channel is attached while CONNECTING (RTL4i: ably-java only marks it
   * ATTACHING); its ATTACH is sent from that very loop, the last step of which it is (no other
   * channel exists yet), so when its attach completes a round trip later, the loop is over and
   * the test's own channels come after it. The probe's outcome does not matter (a key without
   * access to it fails it, which is just as late).
   */
  AblyRealtime connected(ClientOptions options) throws Exception {
    AblyRealtime client = realtime(options);
    Channel probe = client.channels.get("interop-probe");
    CompletableFuture<ErrorInfo> probed = new CompletableFuture<>();
    CompletableFuture<ConnectionStateChange> up = new CompletableFuture<>();
    ConnectionStateListener listener =
        change -> {
          if (change.event == ConnectionEvent.connecting
              && probe.state == ChannelState.initialized) {
            try {
              probe.attach(completing(probed));
            } catch (AblyException e) {
              probed.completeExceptionally(e);
            }
          } else if (change.event == ConnectionEvent.connected) {
            up.complete(change);
          } else if (change.event == ConnectionEvent.failed) {
            up.completeExceptionally(AblyException.fromErrorInfo(change.reason));
          }
        };
    client.connection.on(listener);
    client.connection.connect();
    get(up, "CONNECTED");
    get(probed, "the probe channel's attach after CONNECTED");
    client.connection.off(listener);
    return client;
  }

  /**
   * Closes every realtime client (waiting for CLOSED or FAILED) and every REST client.
   *
   * @return the clients that did not close, described
   */
  List<String> closeAll() throws InterruptedException {
    List<String> notClosed = new ArrayList<>();
    for (AblyRealtime client : realtimes) {
      CompletableFuture<Void> down = new CompletableFuture<>();
      client.connection.on(
          change -> {
            if (isTerminal(change.current)) {
              down.complete(null);
            }
          });
      // A client that never connected has nothing to close (ably-java stays INITIALIZED).
      if (isTerminal(client.connection.state)
          || client.connection.state == ConnectionState.initialized) {
        down.complete(null);
      }
      try {
        client.close();
        down.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException | RuntimeException e) {
        notClosed.add(client.connection.id + " in " + client.connection.state + ": " + e);
      }
    }
    realtimes.clear();
    for (AblyRest client : rests) {
      try {
        client.close();
      } catch (Exception e) {
        notClosed.add("REST client: " + e);
      }
    }
    rests.clear();
    return notClosed;
  }
}
