package io.ably.itest;

import io.ably.api.ErrorInfo;
import java.time.Duration;

/**
 * Fault injection for tests. Every method takes effect before it returns, so a test can inject a
 * fault and then assert what the client does. Obtain it from {@link AblyTestServer#faults()}.
 *
 * @since 0.1
 */
public interface Faults {
  /** Closes every client socket abruptly (no DISCONNECTED, no close frame); state is kept. */
  void dropConnections();

  /**
   * Closes one connection's socket abruptly; its state is kept for resume.
   *
   * @param connectionId the connection
   * @return {@code true} if the connection had a socket to drop
   */
  boolean dropConnection(String connectionId);

  /** Resets every client TCP connection (RST); state is kept. */
  void resetConnections();

  /**
   * Sends DISCONNECTED with an error to every connection and closes the sockets (RTN15h).
   *
   * @param error the error
   */
  void disconnectAll(ErrorInfo error);

  /**
   * Sends every connection a new CONNECTED with the same id and this error, as the service does
   * when connection details change (RTN24).
   *
   * @param error the error the clients report with their UPDATE, or {@code null}
   */
  void updateConnections(ErrorInfo error);

  /**
   * Stops or restarts the server's HEARTBEATs.
   *
   * @param stopped {@code true} to stop them
   */
  void stopHeartbeats(boolean stopped);

  /**
   * Discards (or stops discarding) every frame to clients.
   *
   * @param enabled {@code true} to discard
   */
  void blackholeOutbound(boolean enabled);

  /**
   * Discards (or stops discarding) every frame from clients.
   *
   * @param enabled {@code true} to discard
   */
  void blackholeInbound(boolean enabled);

  /**
   * Ends both blackholes the way a network partition ends for TCP, which never discards bytes on
   * a live connection: every client socket is broken (as {@link #dropConnections()}) and the
   * discarding stops, in one step on the server's state loop. No frame after the hole then travels
   * on a connection that lost frames (a client that took a later message's channelSerial would
   * resume past the hole, RTL15b), and no connection opened while the sockets break loses its
   * CONNECTED to a blackhole that is about to end. Lifting a blackhole with {@code
   * blackholeOutbound(false)} after {@code dropConnections()} leaves that moment open: a client
   * that reconnects at once may resume, lose the CONNECTED and, after its request timeout, find its
   * connection key replaced (issue #19).
   */
  void endBlackholes();

  /**
   * Delays every frame to clients.
   *
   * @param delay the delay, {@link Duration#ZERO} for none
   */
  void delayOutbound(Duration delay);

  /**
   * Delays every frame from clients.
   *
   * @param delay the delay, {@link Duration#ZERO} for none
   */
  void delayInbound(Duration delay);

  /**
   * Refuses the next connection attempt with a connection-level ERROR.
   *
   * @param error the error, or {@code null} to disarm one armed and not yet used
   */
  void failNextConnect(ErrorInfo error);

  /**
   * Answers the next ATTACH with a channel ERROR.
   *
   * @param error the error, or {@code null} to disarm one armed and not yet used
   */
  void failNextAttach(ErrorInfo error);

  /**
   * Detaches every connection attached to a channel, from the server's side: each gets a
   * DETACHED with this error and stops receiving the channel's messages until it attaches again
   * (a client then re-attaches at once, RTL13a).
   *
   * @param channel the channel name
   * @param error the error carried by the DETACHED, or {@code null} for none
   */
  void detachChannel(String channel, ErrorInfo error);

  /**
   * Sends a fresh presence SYNC of a channel, in pages, to every connection attached to it, as
   * the service does when it resynchronises a channel's members (RTP18): each client's sync starts
   * again and ends with the members the server holds.
   *
   * @param channel the channel name
   */
  void resyncPresence(String channel);

  /**
   * Answers the next publish with a NACK.
   *
   * @param error the error, or {@code null} to disarm one armed and not yet used
   */
  void nackNextPublish(ErrorInfo error);

  /** Makes the next resume or recover fail: new connection id and error 80008 (RTN15c7). */
  void failNextResume();

  /** Expires every token now: connected clients get DISCONNECTED 40142, new ones ERROR 40142. */
  void expireTokens();

  /**
   * Asks every connection authenticated with a token to re-authenticate now with an AUTH message,
   * as the service does before a token expires (RTN22); a client answers with AUTH and a new token.
   */
  void requestReauthentication();

  /** Loses all state (connections, channels, history, tokens) and drops every socket; keys stay. */
  void restart();
}
