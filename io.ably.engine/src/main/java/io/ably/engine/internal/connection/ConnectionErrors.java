package io.ably.engine.internal.connection;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import java.util.concurrent.TimeUnit;

/** The errors the connection state machine makes up when the server gave none. */
final class ConnectionErrors {
  private static final int REQUEST_TIMEOUT_STATUS = 408;
  private static final int FORBIDDEN_STATUS = 403;

  private ConnectionErrors() {}

  /** The transport went away without saying why (RTN15a, RTN14d). */
  static ErrorInfo transportLost() {
    return ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "Connection to the server was lost");
  }

  /** A DISCONNECTED message without an error (RTN15h3). */
  static ErrorInfo disconnectedByServer() {
    return ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "The server disconnected the client");
  }

  /** A connection-level ERROR message without an error (RTN14g, RTN15j). */
  static ErrorInfo failedByServer() {
    return ErrorInfo.of(ErrorCode.CONNECTION_FAILED, "The server failed the connection");
  }

  /** A CLOSED message the client did not ask for. */
  /** The server broke the protocol (80013), e.g. a CONNECTED without an id or key. */
  static ErrorInfo protocolError(String what) {
    return ErrorInfo.of(ErrorCode.PROTOCOL_ERROR, what);
  }

  static ErrorInfo closedByServer() {
    return ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "The server closed the connection");
  }

  /** No CONNECTED within realtimeRequestTimeout (RTN14c). */
  static ErrorInfo connectTimeout(long timeoutNanos) {
    return ErrorInfo.of(
        ErrorCode.CONNECTION_TIMED_OUT,
        "No CONNECTED within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
  }

  /** The connectivity check said there is no internet connection (RTN17j). */
  static ErrorInfo offline(ErrorInfo cause) {
    return ErrorInfo.of(
        ErrorCode.CONNECTION_DISCONNECTED, "No internet connection (connectivity check)", cause);
  }

  /** Nothing received for maxIdleInterval + realtimeRequestTimeout (RTN23a): 80003 with 408. */
  static ErrorInfo idle(long idleLimitNanos) {
    return new ErrorInfo(
        ErrorCode.CONNECTION_DISCONNECTED.code(),
        REQUEST_TIMEOUT_STATUS,
        "Nothing received from the server for "
            + TimeUnit.NANOSECONDS.toMillis(idleLimitNanos)
            + " ms",
        null,
        null,
        null,
        null);
  }

  /** Disconnected for longer than connectionStateTtl (RTN14e). */
  static ErrorInfo suspended(ErrorInfo cause) {
    return ErrorInfo.of(
        ErrorCode.CONNECTION_SUSPENDED,
        "Connection unavailable for longer than connectionStateTtl",
        cause);
  }

  /** Closed by the user: pending messages fail with this (RTN7e). */
  static ErrorInfo closed() {
    return ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "Connection closed");
  }

  /** A token error with no means to renew the token (RSA4a2, RTN15h1): 40171. */
  static ErrorInfo tokenNotRenewable(ErrorInfo cause) {
    return ErrorInfo.of(
        ErrorCode.TOKEN_NOT_RENEWABLE, "Token rejected and no means to renew it", cause);
  }

  /**
   * Getting a token failed (RSA4c1, RSA4d): 80019, with status 403 when the cause is a 403, else
   * 401.
   */
  static ErrorInfo authFailed(ErrorInfo cause) {
    boolean forbidden = cause != null && cause.statusCode() == FORBIDDEN_STATUS;
    return new ErrorInfo(
        ErrorCode.AUTH_REQUEST_FAILED.code(),
        forbidden ? FORBIDDEN_STATUS : ErrorCode.AUTH_REQUEST_FAILED.statusCode(),
        "Could not get a token",
        null,
        cause,
        null,
        null);
  }

  /** Whether a getting-a-token failure is fatal (RSA4d). */
  static boolean isForbidden(ErrorInfo authError) {
    return authError.statusCode() == FORBIDDEN_STATUS;
  }

  /**
   * Whether an error is a token error: code 40140-40149 with status 401 (RSA4b, RTN14b, RTN15h); a
   * missing status (0) is tolerated.
   */
  static boolean isTokenError(ErrorInfo error) {
    return error.isTokenError() && (error.statusCode() == 401 || error.statusCode() == 0);
  }

  /** Whether a DISCONNECTED error justifies a fallback host: status 500-504 (RTN17f1). */
  static boolean qualifiesForFallback(ErrorInfo error) {
    return error.statusCode() >= 500 && error.statusCode() <= 504;
  }
}
