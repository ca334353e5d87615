package io.ably.api;

import io.ably.api.auth.Auth;
import io.ably.api.rest.Rest;
import java.util.concurrent.CompletionStage;

/**
 * An Ably realtime client: one connection and, through it, channels. Create one with
 * {@link Ably#realtime(ClientOptions)}; close it to release its connection and threads.
 *
 * <pre>{@code
 * try (RealtimeClient client = Ably.realtime(ClientOptions.forKey(System.getenv("ABLY_KEY")))) {
 *   client.connection().onStateChange(change -> log(change));
 *   client.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().join();
 *   Duration rtt = client.connection().ping().toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Thread-safe; see {@link Connection} for which thread calls back.
 *
 * @since 0.1
 */
public interface RealtimeClient extends AutoCloseable {
  /**
   * Returns the connection.
   *
   * @return the connection, the same object for the client's whole life
   */
  Connection connection();

  /**
   * Returns the client's channels.
   *
   * @return the channels; the same object on every call
   */
  Channels channels();

  /**
   * Returns the client's REST operations (RSC, RTC5): time, stats, batch publish, raw requests and
   * REST channels, sharing this client's options, credentials and event loop. Closing the realtime
   * client closes them too.
   *
   * @return the REST operations, the same object on every call
   * @since 0.2
   */
  Rest rest();

  /**
   * Returns the client's authentication (RSA8–RSA10): the clientId the connection confirmed, the
   * token in use, TokenRequests, and {@code authorize}, which on a connected client re-authenticates
   * in band and keeps the connection (RTC8). The same object as {@code rest().auth()}.
   *
   * @return the auth
   * @since 0.3
   */
  Auth auth();

  /**
   * Returns the options the client was created with.
   *
   * @return the options
   */
  ClientOptions options();

  /**
   * Returns the client's name: {@link ClientOptions#name()} or a generated one.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the client's state and counters now, without blocking its event loop. Any thread.
   *
   * @return a snapshot
   */
  ClientMetrics metrics();

  /**
   * Closes the connection if open (CLOSE, then CLOSED from the service, RTN12) and releases the
   * client's resources, without waiting. A client that never connected (INITIALIZED) goes to
   * CLOSED at once and fails what was queued for its first connection with 80017. Closing twice
   * does the same as closing once.
   *
   * @return a stage completed on the callback thread once the connection is CLOSED (at once if it
   *     already is), or failed if it ended FAILED; the client's own threads (a private event loop)
   *     are released right after
   * @since 0.1
   */
  CompletionStage<Void> closeAsync();

  /**
   * Closes the connection and waits until the service has heard it: returns once the connection
   * is CLOSED or FAILED, or after {@code realtimeRequestTimeout} plus one second at most (the
   * longest a close can take, RTN12b), so that a try-with-resources block ends only after CLOSE was
   * sent and answered. Called on one of the client's own callback threads (a listener) it cannot
   * wait for itself and returns at once, as {@link #closeAsync()} does. Closing twice does the same
   * as closing once; an interrupt ends the wait and is kept.
   */
  @Override
  void close();
}
