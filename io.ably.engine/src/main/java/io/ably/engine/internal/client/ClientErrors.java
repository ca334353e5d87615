package io.ably.engine.internal.client;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;

/** The errors of operations refused because of the connection's state. */
final class ClientErrors {
  private ClientErrors() {}

  /** Why an operation that needs a connection cannot run in state {@code s}. */
  static ErrorInfo notConnected(ConnectionState s) {
    return switch (s) {
      case SUSPENDED -> ErrorInfo.of(ErrorCode.CONNECTION_SUSPENDED, "connection is suspended");
      case CLOSING, CLOSED -> ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "connection is closed");
      case FAILED -> ErrorInfo.of(ErrorCode.CONNECTION_FAILED, "connection has failed");
      default -> ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "connection is not connected");
    };
  }
}
