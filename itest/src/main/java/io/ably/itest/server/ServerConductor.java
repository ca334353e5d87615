package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.itest.TestKey;
import io.ably.wire.Action;
import io.ably.wire.ConnectionDetails;
import io.ably.wire.ProtocolMessage;
import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The root of the testkit server's state: keys, tokens, connections and channels. Every method runs
 * on the one state loop; I/O threads decode frames and hand them over with {@link #execute}. So
 * the server needs no locks: fan-out is the state loop writing pre-encoded frames to each
 * subscriber's Netty channel, which queues them on that channel's own I/O loop.
 */
public final class ServerConductor {
  private static final System.Logger LOG = System.getLogger(ServerConductor.class.getName());

  final EventLoop loop;
  final ServerConfig config;
  final FaultSettings faults;
  final TokenAuthority tokens = new TokenAuthority();
  private final Map<String, TestKey> keys = new LinkedHashMap<>();
  private final Map<String, Capability> keyCapabilities = new HashMap<>();
  final Map<String, ServerConnection> connectionsById = new HashMap<>();
  /** Who waits for a connection to be forgotten, by connection id (tests crossing connectionStateTtl). */
  final Map<String, List<java.util.concurrent.CompletableFuture<Void>>> discardWaiters = new HashMap<>();
  private final Map<String, ServerConnection> connectionsByKey = new HashMap<>();
  final Map<String, ServerChannel> channels = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  final ChannelRouter router;
  final PresenceRouter presence;
  /** Counters served by {@code GET /stats}. */
  final ServerStats stats = new ServerStats();
  /** Changes on every restart so that serials from before a restart are recognised as foreign. */
  String epoch;
  /** One-shot faults, each consumed by the next operation of its kind. */
  ErrorInfo nextConnectError;
  ErrorInfo nextAttachError;
  ErrorInfo nextPublishError;
  boolean failNextResume;

  ServerConductor(EventLoop loop, ServerConfig config, FaultSettings faults, List<TestKey> keyList) {
    this.loop = loop;
    this.config = config;
    this.faults = faults;
    for (TestKey k : keyList) {
      keys.put(k.keyName(), k);
      keyCapabilities.put(k.keyName(), Capability.parse(k.capability()));
    }
    this.epoch = randomId(6);
    this.router = new ChannelRouter(this);
    this.presence = new PresenceRouter(this);
  }

  /** Runs a task on the state loop. */
  void execute(Runnable task) {
    loop.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "testkit state task failed", e);
          }
        });
  }

  List<TestKey> keys() {
    return List.copyOf(keys.values());
  }

  /** Accepts a new key from now on, for REST and realtime (app provisioning). */
  void addKey(TestKey key) {
    Capability capability = Capability.parse(key.capability());
    keys.put(key.keyName(), key);
    keyCapabilities.put(key.keyName(), capability);
  }

  /** Stops accepting every key of an app, and the tokens issued for them; returns the count. */
  int removeKeys(String appId) {
    List<String> names = new ArrayList<>();
    for (String keyName : keys.keySet()) {
      if (appIdOf(keyName).equals(appId)) {
        names.add(keyName);
      }
    }
    for (String keyName : names) {
      keys.remove(keyName);
      keyCapabilities.remove(keyName);
    }
    return names.size();
  }

  /** The connection with this connection key, or {@code null}. */
  ServerConnection connectionByKey(String connectionKey) {
    return connectionsByKey.get(connectionKey);
  }

  /** The app id of a key name ({@code appId.keyId}). */
  static String appIdOf(String keyName) {
    int dot = keyName.indexOf('.');
    return dot < 0 ? keyName : keyName.substring(0, dot);
  }

  TestKey key(String keyName) {
    return keys.get(keyName);
  }

  Capability keyCapability(String keyName) {
    return keyCapabilities.get(keyName);
  }

  String randomId(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
  }

  long nowMillis() {
    return System.currentTimeMillis();
  }

  ServerChannel channel(String name) {
    return channels.computeIfAbsent(
        name, n -> new ServerChannel(n, config.historyLimit(), config.historyTtl().toMillis(), this::nowMillis));
  }

  // ------------------------------------------------------------------------------------------
  // Connection lifecycle
  // ------------------------------------------------------------------------------------------

  /** A WebSocket upgrade completed: authenticate, then CONNECTED (new, resumed) or ERROR. */
  void onOpen(Transport transport, ConnectParams params) {
    assert loop.inEventLoop();
    if (nextConnectError != null) {
      ErrorInfo error = nextConnectError;
      nextConnectError = null;
      refuse(transport, error);
      return;
    }
    Credentials credentials;
    try {
      credentials = Credentials.authenticate(this, params);
    } catch (RefusedException e) {
      refuse(transport, e.error);
      return;
    }
    String resumeKey = params.resume() != null ? params.resume() : params.recover();
    ErrorInfo resumeError = null;
    ServerConnection connection = null;
    if (resumeKey != null) {
      if (resumeKey.indexOf('!') <= 0) {
        resumeError = ErrorInfo.of(ErrorCode.INVALID_CONNECTION_KEY, "invalid connection key");
      } else {
        ServerConnection found = connectionsByKey.get(resumeKey);
        boolean forcedFailure = failNextResume;
        failNextResume = false;
        if (found != null && !forcedFailure && found.keyName.equals(credentials.keyName())) {
          connection = found; // RTN15c6: same connection id, state kept
        } else {
          resumeError =
              ErrorInfo.of(
                  ErrorCode.RESUME_FAILED, "Unable to recover connection (connection expired)");
        }
      }
    }
    if (connection == null) {
      connection = new ServerConnection(randomId(8), null, credentials.keyName());
      connectionsById.put(connection.id, connection);
      stats.add(appIdOf(credentials.keyName()), "connections.all.opened", 1, nowMillis());
    } else {
      connectionsByKey.remove(connection.key);
      connection.cancelTimers();
      pauseAttachments(connection);
      if (connection.transport != null) {
        connection.transport.connection = null;
        connection.transport.drop();
      }
    }
    connection.key = connection.id + "!" + randomId(9);
    connectionsByKey.put(connection.key, connection);
    connection.clientId = credentials.clientId();
    connection.capability = credentials.capability();
    connection.token = credentials.token();
    connection.echo = params.echo();
    connection.transport = transport;
    transport.connection = connection;
    scheduleTokenExpiry(connection, credentials.expiresMillis());
    transport.send(connected(connection, resumeError));
  }

  /**
   * After a successful resume, sends nothing on the connection's channels until the client
   * re-attaches each one. Clients re-attach every channel on CONNECTED, resumed or not (RTL3d,
   * PROTOCOL.md §4.3), and the ATTACH replays from its channelSerial (§4.5). Live traffic sent
   * before that ATTACH breaks the replay: ably-java 1.5 takes the channelSerial of every MESSAGE
   * (RTL15b), whether it delivers it (ahead of the missed ones) or drops it as not ATTACHED
   * (RTL17), and may build the ATTACH only afterwards, so the missed messages are never replayed.
   * The attachment itself is kept, so the ATTACH is answered with RESUMED.
   */
  private void pauseAttachments(ServerConnection c) {
    for (String name : c.attachments.keySet()) {
      ServerChannel channel = channels.get(name);
      if (channel != null) {
        channel.subscribers.remove(c);
      }
    }
  }

  ProtocolMessage connected(ServerConnection c, ErrorInfo error) {
    ConnectionDetails details =
        new ConnectionDetails(
            c.clientId,
            c.key,
            (long) config.maxMessageSize(),
            (long) config.maxFrameSize(),
            250L,
            250L,
            config.connectionStateTtl().toMillis(),
            config.maxIdleInterval().toMillis(),
            config.serverId(),
            "local",
            null);
    return ProtocolMessage.builder(Action.CONNECTED)
        .connectionId(c.id)
        .connectionKey(c.key)
        .connectionDetails(details)
        .error(error)
        .build();
  }

  /** Sends a connection-level ERROR (no channel) and closes (PROTOCOL.md §4.4). */
  void refuse(Transport transport, ErrorInfo error) {
    transport.send(ProtocolMessage.builder(Action.ERROR).error(error).build());
    transport.closeNormally();
  }

  private void scheduleTokenExpiry(ServerConnection c, long expiresMillis) {
    if (c.tokenExpiry != null) {
      c.tokenExpiry.cancel(false);
      c.tokenExpiry = null;
    }
    if (expiresMillis <= 0) {
      return;
    }
    long delay = Math.max(0, expiresMillis - nowMillis());
    c.tokenExpiry = loop.schedule(() -> expireToken(c), delay, TimeUnit.MILLISECONDS);
  }

  /** RTN15h2: a token that expires while connected ends in DISCONNECTED 40142, then a close. */
  void expireToken(ServerConnection c) {
    c.tokenExpiry = null;
    if (c.transport != null) {
      disconnect(c, ErrorInfo.of(ErrorCode.TOKEN_EXPIRED, "Key/token status changed (expire)"));
    }
  }

  /** Sends DISCONNECTED with an error and closes the transport; the connection stays resumable. */
  void disconnect(ServerConnection c, ErrorInfo error) {
    Transport t = c.transport;
    if (t == null) {
      return;
    }
    t.send(ProtocolMessage.builder(Action.DISCONNECTED).error(error).build());
    t.closeNormally();
  }

  /** A client frame arrived (HEARTBEAT excepted: the I/O thread answers those itself). */
  void onFrame(Transport transport, ProtocolMessage pm) {
    assert loop.inEventLoop();
    ServerConnection c = transport.connection;
    if (c == null || c.transport != transport) {
      return; // refused, closed or superseded transport
    }
    switch (pm.action()) {
      case CLOSE -> close(c);
      case DISCONNECT -> transport.drop();
      case ATTACH -> router.attach(c, pm);
      case DETACH -> router.detach(c, pm);
      case MESSAGE -> router.publish(c, pm);
      case PRESENCE -> presence.onPresence(c, pm);
      case SYNC -> presence.sendSync(c, pm.channel());
      case AUTH -> reauthorize(c, pm);
      case HEARTBEAT -> transport.send(ProtocolMessage.builder(Action.HEARTBEAT).id(pm.id()).build());
      case OBJECT, ANNOTATION ->
          router.nack(c, pm, ErrorInfo.of(ErrorCode.BAD_REQUEST, pm.action() + " is not supported by the testkit"));
      default ->
          refuse(
              transport,
              ErrorInfo.of(
                  ErrorCode.PROTOCOL_ERROR, "unexpected action " + pm.action() + " from a client"));
    }
  }

  /** RTN12: CLOSE → members leave at once, CLOSED, socket closed, state discarded. */
  private void close(ServerConnection c) {
    Transport t = c.transport;
    presence.leaveAll(c);
    discard(c);
    if (t != null) {
      t.connection = null;
      t.send(ProtocolMessage.builder(Action.CLOSED).connectionId(c.id).build());
      t.closeNormally();
    }
  }

  /** Removes a connection and all its attachments. */
  void discard(ServerConnection c) {
    c.cancelTimers();
    connectionsById.remove(c.id);
    connectionsByKey.remove(c.key);
    for (String name : c.attachments.keySet()) {
      ServerChannel ch = channels.get(name);
      if (ch != null) {
        ch.subscribers.remove(c);
      }
    }
    c.attachments.clear();
    c.transport = null;
    List<java.util.concurrent.CompletableFuture<Void>> waiting = discardWaiters.remove(c.id);
    if (waiting != null) {
      waiting.forEach(f -> f.complete(null));
    }
  }

  /** The socket closed. Unless it was closed cleanly, the connection waits to be resumed. */
  void onTransportClosed(Transport transport) {
    assert loop.inEventLoop();
    ServerConnection c = transport.connection;
    transport.connection = null;
    if (c == null || c.transport != transport) {
      return;
    }
    c.transport = null;
    c.expiry =
        loop.schedule(
            () -> {
              presence.leaveAll(c);
              discard(c);
            },
            config.connectionStateTtl().toMillis(),
            TimeUnit.MILLISECONDS);
    c.presenceLeave =
        loop.schedule(
            () -> {
              c.presenceLeave = null;
              presence.leaveAll(c);
            },
            config.presenceLeaveDelay().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** RTC8a: AUTH with a new token; CONNECTED with the same id on success, ERROR on failure. */
  private void reauthorize(ServerConnection c, ProtocolMessage pm) {
    Credentials credentials;
    try {
      if (pm.auth() == null) {
        throw new RefusedException(ErrorInfo.of(ErrorCode.BAD_REQUEST, "AUTH without auth details"));
      }
      credentials = Credentials.fromToken(this, pm.auth().accessToken(), null);
      if (c.isIdentified() && !c.clientId.equals(credentials.clientId())) {
        throw new RefusedException(
            ErrorInfo.of(ErrorCode.INCOMPATIBLE_CREDENTIALS, "clientId mismatch on AUTH"));
      }
    } catch (RefusedException e) {
      Transport t = c.transport;
      discard(c);
      refuse(t, e.error);
      return;
    }
    c.token = credentials.token();
    c.capability = credentials.capability();
    c.clientId = credentials.clientId();
    scheduleTokenExpiry(c, credentials.expiresMillis());
    c.transport.send(connected(c, null));
    // RTC8a1: a narrower capability fails the channels it no longer allows.
    for (String name : new ArrayList<>(c.attachments.keySet())) {
      if (!c.capability.allowsAny(name)) {
        router.failChannel(
            c, name, ErrorInfo.of(ErrorCode.OPERATION_NOT_PERMITTED, "capability revoked"));
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Faults and housekeeping (called through the public Faults API, on the state loop)
  // ------------------------------------------------------------------------------------------

  /** Every connection that currently has a transport. */
  List<ServerConnection> liveConnections() {
    List<ServerConnection> out = new ArrayList<>();
    for (ServerConnection c : connectionsById.values()) {
      if (c.transport != null) {
        out.add(c);
      }
    }
    return out;
  }

  /** Forgets every connection, channel and token, and drops every socket (a restart). */
  void restart() {
    for (ServerConnection c : new ArrayList<>(connectionsById.values())) {
      Transport t = c.transport;
      discard(c);
      if (t != null) {
        t.connection = null;
        t.drop();
      }
    }
    connectionsById.clear();
    connectionsByKey.clear();
    for (ServerChannel ch : channels.values()) {
      ch.clear();
    }
    channels.clear();
    tokens.clear();
    epoch = randomId(6);
  }

  /** Thrown by authentication to refuse a connection with an error. */
  static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient ErrorInfo error;

    RefusedException(ErrorInfo error) {
      super(error.toString(), null, false, false);
      this.error = error;
    }
  }
}
