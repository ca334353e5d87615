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

  /**
   * Creates the exception.
   *
   * @param message what was wrong and where
   */
  public WireFormatException(String message) {
    super(ErrorInfo.of(ErrorCode.PROTOCOL_ERROR, message));
  }

  /**
   * Creates the exception with the library exception that revealed the problem.
   *
   * @param message what was wrong and where
   * @param cause the underlying exception
   */
  public WireFormatException(String message, Throwable cause) {
    super(ErrorInfo.of(ErrorCode.PROTOCOL_ERROR, message), cause);
  }
}
