package io.ably.wire;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;

/**
 * The one exception a codec raises for input it cannot decode: malformed bytes, a wrong type, an
 * unknown action, a length header larger than the input. Its code is 80013 (protocol error); the
 * message says what was wrong and where.
 */
public final class WireFormatException extends AblyException {
  private static final long serialVersionUID = 1L;

  /** The frame was well-formed up to a ProtocolMessage action outside the table (RTF1). */
  private final boolean unknownAction;

  /**
   * Creates the exception.
   *
   * @param message what was wrong and where
   */
  public WireFormatException(String message) {
    super(ErrorInfo.of(ErrorCode.PROTOCOL_ERROR, message));
    this.unknownAction = false;
  }

  private WireFormatException(String message, boolean unknownAction) {
    super(ErrorInfo.of(ErrorCode.PROTOCOL_ERROR, message));
    this.unknownAction = unknownAction;
  }

  /**
   * The exception for a ProtocolMessage whose action is not one the codec knows: a newer
   * protocol's action, which a realtime client ignores (RTF1) rather than treating as a protocol
   * error.
   *
   * @param value the action number on the wire
   * @return the exception; {@link #unknownAction()} is {@code true}
   */
  public static WireFormatException unknownAction(long value) {
    return new WireFormatException("action: unknown action " + value, true);
  }

  /**
   * Tells whether this is an unknown ProtocolMessage action (RTF1), not malformed input.
   *
   * @return {@code true} when made by {@link #unknownAction(long)}
   */
  public boolean unknownAction() {
    return unknownAction;
  }

  /**
   * Creates the exception with the library exception that revealed the problem.
   *
   * @param message what was wrong and where
   * @param cause the underlying exception
   */
  public WireFormatException(String message, Throwable cause) {
    super(ErrorInfo.of(ErrorCode.PROTOCOL_ERROR, message), cause);
    this.unknownAction = false;
  }
}
