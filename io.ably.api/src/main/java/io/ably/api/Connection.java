package io.ably.api;

import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A client's realtime connection (RTN). Thread-safe: getters read a published snapshot without
 * blocking; operations hand a task to the client's event loop and return at once.
 *
 * <p>Listeners and stages complete on the client's callback thread: a per-client serial executor
 * by default, the event-loop thread with {@code inlineCallbacks}, or the configured
 * {@code callbackExecutor} (see {@link ClientOptions}). State changes reach a listener in the order
 * they happened. A listener that throws is logged and counted; other listeners still run.
 *
 * @see io.ably.api.state.ConnectionState the states and their transitions
 * @since 0.1
 */
public interface Connection {
  /**
   * Returns the current state.
   *
   * @return the state
   */
  ConnectionState state();

  /**
   * Returns the connection id the service assigned (RTN8).
   *
   * @return the id, or {@code null} when not connected yet, or CLOSING, CLOSED or FAILED
   */
  String id();

  /**
   * Returns the private connection key used to resume (RTN9).
   *
   * @return the key, or {@code null} as for {@link #id()}
   */
  String key();

  /**
   * Returns the error behind the latest change to DISCONNECTED, SUSPENDED or FAILED, or reported
   * with CONNECTED (RTN25).
   *
   * @return the error, or {@code null}
   */
  ErrorInfo errorReason();

  /**
   * Registers a listener for every state change and UPDATE.
   *
   * @param listener called on the callback thread, in order
   * @return a handle that unregisters the listener
   */
  Subscription onStateChange(Consumer<ConnectionStateChange> listener);

  /**
   * Returns a stage that completes when the connection next is in a state: at once (with the
   * change that entered it) if it is already there.
   *
   * @param state the state to wait for
   * @return a stage completing on the callback thread with the change that entered the state
   */
  CompletionStage<ConnectionStateChange> whenState(ConnectionState state);

  /**
   * Starts connecting, from INITIALIZED, DISCONNECTED, SUSPENDED, CLOSED or FAILED (RTN11); does
   * nothing when connecting or connected. Returns at once.
   */
  void connect();

  /**
   * Closes the connection (RTN12). In INITIALIZED (never connected) it does nothing, as the
   * spec's table of connection states and operations says: the state stays INITIALIZED, messages
   * queued for the first connection stay queued, and {@link #connect()} still works. Releasing the
   * client ({@link RealtimeClient#closeAsync()}) is what ends a client that never connected.
   *
   * @return a stage completing when CLOSED is reached (at once if already closed, or if
   *     INITIALIZED); completed exceptionally with an {@link AblyException} if FAILED is reached
   *     instead
   */
  CompletionStage<Void> close();

  /**
   * Sends a HEARTBEAT and measures the round trip to the echo with the same id (RTN13).
   *
   * @return a stage of the round-trip time; failed with an {@link AblyException}: 50003 when no
   *     echo arrives within {@code realtimeRequestTimeout} (RTN13c), or the code of the
   *     connection's state (80002 suspended, 80017 closed, 80000 failed) when it cannot ping
   *     (RTN13b)
   */
  CompletionStage<Duration> ping();

  /**
   * Returns a key another client can {@code recover} this connection with (RTN16g).
   *
   * @return the key, or empty when CLOSING, CLOSED, FAILED, SUSPENDED or never connected
   */
  Optional<String> createRecoveryKey();
}
