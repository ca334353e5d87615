package io.ably.itest.server;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's view of one client connection, which outlives its transports until it is closed or
 * its connection-state TTL runs out. Confined to the server's state loop.
 */
final class ServerConnection {
  final String id;
  /** Replaced on every CONNECTED (RTN15e). */
  String key;
  /** The identified client id, {@code *} for a wildcard, or {@code null} when anonymous. */
  String clientId;
  Capability capability;
  /** The token this connection authenticated with, or {@code null} for basic auth. */
  String token;
  final String keyName;
  boolean echo;
  /** The current transport, or {@code null} while disconnected. */
  Transport transport;
  /** Channel name to granted mode flags, for channels this connection has attached. */
  final Map<String, Integer> attachments = new LinkedHashMap<>();
  /** Highest msgSerial accepted from this connection, -1 before the first. */
  long lastMsgSerial = -1;
  /** Serials assigned to recently accepted publishes, by msgSerial, to re-ACK a resend (RTN19a). */
  final Map<Long, List<String>> recentResults = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, List<String>> eldest) {
      return size() > 10_000;
    }
  };
  /** Runs out the connection-state TTL after the transport is lost. */
  ScheduledFuture<?> expiry;
  /** Sends the synthesized presence LEAVEs after the transport is lost. */
  ScheduledFuture<?> presenceLeave;
  /** Disconnects the connection when its token expires. */
  ScheduledFuture<?> tokenExpiry;
  /** Presence ids per channel already entered by this connection (for leave on close). */
  final Map<String, Map<String, Boolean>> presenceClients = new HashMap<>();

  ServerConnection(String id, String key, String keyName) {
    this.id = id;
    this.key = key;
    this.keyName = keyName;
  }

  boolean isIdentified() {
    return clientId != null && !"*".equals(clientId);
  }

  void cancelTimers() {
    if (expiry != null) {
      expiry.cancel(false);
      expiry = null;
    }
    if (presenceLeave != null) {
      presenceLeave.cancel(false);
      presenceLeave = null;
    }
    if (tokenExpiry != null) {
      tokenExpiry.cancel(false);
      tokenExpiry = null;
    }
  }

  @Override
  public String toString() {
    return "ServerConnection[" + id + "]";
  }
}
