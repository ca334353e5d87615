package io.ably.api;

/**
 * The Ably error codes this client raises or reacts to, each bound to its HTTP-like status.
 *
 * <p>An {@link ErrorInfo} built from a constant ({@link ErrorInfo#of(ErrorCode, String)}) can never
 * have its code and status swapped. Codes come from Ably's error registry; where the registry names
 * no status the one the official SDKs use is given. Codes received from the service that are not
 * listed here are carried as plain numbers in {@link ErrorInfo}.
 *
 * @since 0.1
 */
public enum ErrorCode {
  /** 40000: the request was malformed. */
  BAD_REQUEST(40000, 400),
  /** 40001: the request body could not be parsed. */
  INVALID_REQUEST_BODY(40001, 400),
  /** 40003: a parameter had an invalid value. */
  INVALID_PARAMETER(40003, 400),
  /** 40005: the API key or token is malformed. */
  INVALID_CREDENTIAL(40005, 400),
  /** 40006: a message names an invalid or mismatched connection id. */
  INVALID_CONNECTION_ID(40006, 400),
  /** 40009: the message or messages exceed the maximum message size (TO3l8, RSL1i). */
  MESSAGE_TOO_LARGE(40009, 413),
  /** 40010: the channel name is invalid. */
  INVALID_CHANNEL_NAME(40010, 400),
  /** 40011: the pagination cursor is no longer valid. */
  INVALID_PAGINATION_CURSOR(40011, 400),
  /** 40012: the clientId is invalid (empty, wildcard or mismatched) (RSA7c). */
  INVALID_CLIENT_ID(40012, 400),
  /** 40013: unsupported data type or invalid {@code encoding} (RSL4a). */
  INVALID_MESSAGE_DATA(40013, 400),
  /** 40018: a delta could not be applied (RTL18). */
  DELTA_DECODE_FAILED(40018, 400),
  /** 40019: a required plugin is missing (RTL27b). */
  MISSING_PLUGIN(40019, 400),
  /** 40100: unauthorized. */
  UNAUTHORIZED(40100, 401),
  /** 40101: the credentials were not accepted (RTN14a). */
  INVALID_CREDENTIALS(40101, 401),
  /** 40102: the credentials are valid but incompatible, for example a different clientId (RSA15). */
  INCOMPATIBLE_CREDENTIALS(40102, 401),
  /** 40103: basic authentication over a connection without TLS (RSA1). */
  INSECURE_BASIC_AUTH(40103, 401),
  /** 40104: the token request timestamp is outside the accepted window (RSA9). */
  TIMESTAMP_NOT_CURRENT(40104, 401),
  /** 40105: the token request nonce was already used (RSA9c). */
  NONCE_REPLAYED(40105, 401),
  /** 40106: no usable means of authentication is configured (RSC1b). */
  NO_AUTH_METHOD(40106, 401),
  /** 40140: token error, unspecified; triggers a renewal (RSA4b). */
  TOKEN_ERROR(40140, 401),
  /** 40141: the token was revoked (RSA17). */
  TOKEN_REVOKED(40141, 401),
  /** 40142: the token expired (RTN15h2). */
  TOKEN_EXPIRED(40142, 401),
  /** 40143: the token is not recognised. */
  TOKEN_UNRECOGNISED(40143, 401),
  /** 40144: the JWT could not be parsed. */
  INVALID_JWT(40144, 401),
  /** 40160: the capability does not allow the operation (RTL14, RTP8h). */
  OPERATION_NOT_PERMITTED(40160, 401),
  /** 40161: the operation needs an identified client. */
  IDENTIFIED_CLIENT_REQUIRED(40161, 401),
  /** 40162: the operation needs basic authentication (RSA17d). */
  BASIC_AUTH_REQUIRED(40162, 401),
  /** 40170: the auth callback or auth URL failed (RSA4e). */
  AUTH_CALLBACK_FAILED(40170, 401),
  /** 40171: the token cannot be renewed: no key, auth URL or auth callback (RSA4a). */
  TOKEN_NOT_RENEWABLE(40171, 403),
  /** 40300: forbidden. */
  FORBIDDEN(40300, 403),
  /** 40400: the resource or app was not found. */
  NOT_FOUND(40400, 404),
  /** 42910: the system rate limit was exceeded. */
  RATE_LIMIT_EXCEEDED(42910, 429),
  /** 42911: the per-connection rate limit was exceeded. */
  CONNECTION_RATE_LIMIT_EXCEEDED(42911, 429),
  /** 50000: internal error. */
  INTERNAL_ERROR(50000, 500),
  /** 50001: internal channel error. */
  INTERNAL_CHANNEL_ERROR(50001, 500),
  /** 50002: internal connection error. */
  INTERNAL_CONNECTION_ERROR(50002, 500),
  /** 50003: a timeout on the server side. */
  TIMEOUT(50003, 503),
  /** 80000: the connection failed. */
  CONNECTION_FAILED(80000, 400),
  /** 80002: the connection is suspended (RTN14e). */
  CONNECTION_SUSPENDED(80002, 400),
  /** 80003: the connection is disconnected (RTN14d). */
  CONNECTION_DISCONNECTED(80003, 400),
  /** 80006: the connection resumed but queued messages expired; continuity was lost (RTN15c). */
  CONNECTION_CONTINUITY_LOST(80006, 400),
  /** 80008: the connection could not be resumed or recovered (RTN15c7, RTN16l). */
  RESUME_FAILED(80008, 400),
  /** 80013: protocol error. */
  PROTOCOL_ERROR(80013, 400),
  /** 80014: the connection timed out. */
  CONNECTION_TIMED_OUT(80014, 400),
  /** 80016: the operation was on a superseded transport or connection. */
  TRANSPORT_SUPERSEDED(80016, 410),
  /** 80017: the connection was closed (RTN12). */
  CONNECTION_CLOSED(80017, 400),
  /** 80018: the connection key on resume or recover was malformed (RTN15c7). */
  INVALID_CONNECTION_KEY(80018, 400),
  /** 80019: the auth URL or auth callback request failed (RSA4c, RSA4d). */
  AUTH_REQUEST_FAILED(80019, 401),
  /**
   * 80019 with status 403: the authUrl or authCallback refused to give a token; the connection
   * fails (RSA4d). {@link #forCode(int)} of 80019 gives {@link #AUTH_REQUEST_FAILED}.
   *
   * @since 0.3
   */
  AUTH_REQUEST_FORBIDDEN(80019, 403),
  /** 90000: a channel operation failed. */
  CHANNEL_OPERATION_FAILED(90000, 400),
  /** 90001: the channel is in the wrong state for the operation (RTL33c). */
  CHANNEL_STATE_INVALID(90001, 404),
  /** 90003: channel continuity was lost after a long disconnection. */
  CHANNEL_CONTINUITY_LOST(90003, 404),
  /** 90004: the resume or rewind backlog is too large. */
  BACKLOG_TOO_LARGE(90004, 404),
  /** 90007: a channel attach or detach timed out (RTL4f, RTL5f). */
  CHANNEL_OPERATION_TIMED_OUT(90007, 408),
  /** 90009: subscribing needs the SUBSCRIBE mode (RTL7i1). */
  SUBSCRIBE_MODE_REQUIRED(90009, 400),
  /** 91000: entering presence needs a clientId (RTP8j). */
  PRESENCE_CLIENT_ID_REQUIRED(91000, 400),
  /** 91001: presence operation in an invalid channel state (RTP8g). */
  PRESENCE_STATE_INVALID(91001, 400),
  /** 91002: leave for a member that never entered. */
  PRESENCE_NOT_ENTERED(91002, 400),
  /** 91003: too many presence members. */
  TOO_MANY_PRESENCE_MEMBERS(91003, 400),
  /** 91004: automatic presence re-entry failed (RTP17e). */
  PRESENCE_REENTER_FAILED(91004, 400),
  /** 91005: presence state is out of sync because the channel was suspended (RTP11d). */
  PRESENCE_OUT_OF_SYNC(91005, 400),
  /** 91008: reading presence needs the PRESENCE_SUBSCRIBE mode (RTP11f1). */
  PRESENCE_SUBSCRIBE_MODE_REQUIRED(91008, 400),
  /** 91100: the member left because its connection closed. */
  MEMBER_LEFT_ON_CLOSE(91100, 400);

  private static final ErrorCode[] ALL = values();

  private final int code;
  private final int statusCode;

  ErrorCode(int code, int statusCode) {
    this.code = code;
    this.statusCode = statusCode;
  }

  /**
   * Returns the five-digit Ably error code.
   *
   * @return the code, for example {@code 40142}
   */
  public int code() {
    return code;
  }

  /**
   * Returns the HTTP-like status that goes with the code.
   *
   * @return the status, for example {@code 401}
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * Finds the constant for a numeric code.
   *
   * @param code a five-digit Ably error code
   * @return the constant, or {@code null} when this client does not name the code
   */
  public static ErrorCode forCode(int code) {
    for (ErrorCode c : ALL) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }
}
