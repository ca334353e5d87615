package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import java.util.Objects;

/**
 * Everything the {@link ConnectionStateMachine} knows: the current status and the client-scope
 * session. Immutable; a conductor keeps the latest one and passes it back with the next signal.
 *
 * @param status the current state and its data
 * @param session client-scope data
 */
public record MachineState(ConnectionStatus status, ConnectionSession session) {

  /** Checks the arguments. */
  public MachineState {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(session, "session");
  }

  /**
   * Returns the public state.
   *
   * @return the state
   */
  public ConnectionState state() {
    return status.state();
  }

  /**
   * Returns {@code Connection#id}: unset until connected (RTN8a), null when CLOSING, CLOSED or
   * FAILED (RTN8d), else the id of the latest CONNECTED.
   *
   * @return the id, or {@code null}
   */
  public String connectionId() {
    return hidesConnection() ? null : session.connectionId();
  }

  /**
   * Returns {@code Connection#key}, with the same rules as the id (RTN9a, RTN9d).
   *
   * @return the key, or {@code null}
   */
  public String connectionKey() {
    return hidesConnection() ? null : session.connectionKey();
  }

  /**
   * Returns {@code Connection#errorReason} (RTN25).
   *
   * @return the error, or {@code null}
   */
  public ErrorInfo errorReason() {
    return session.errorReason();
  }

  /**
   * Returns the connection key a recovery key may be made from (RTN16g2): none when CLOSING,
   * CLOSED, FAILED or SUSPENDED, or before the first CONNECTED.
   *
   * @return the key, or {@code null}
   */
  public String recoverableConnectionKey() {
    ConnectionState state = state();
    if (hidesConnection() || state == ConnectionState.SUSPENDED) {
      return null;
    }
    return session.connectionKey();
  }

  private boolean hidesConnection() {
    ConnectionState state = state();
    return state == ConnectionState.INITIALIZED
        || state == ConnectionState.CLOSING
        || state == ConnectionState.CLOSED
        || state == ConnectionState.FAILED;
  }
}
