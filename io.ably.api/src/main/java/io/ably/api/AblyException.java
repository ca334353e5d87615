package io.ably.api;

import java.util.Objects;

/**
 * The one exception the client throws or completes a stage with. It carries an {@link ErrorInfo}
 * with an Ably error code and status, so callers can branch on {@link #errorInfo()} rather than on
 * message text.
 *
 * <p>Unchecked: argument errors are thrown at the call site; failures of asynchronous operations
 * complete the returned {@code CompletionStage} exceptionally with this type instead of being
 * thrown.
 *
 * @since 0.1
 */
public class AblyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The error; not serialized (it is rebuilt from the message after deserialization). */
  private final transient ErrorInfo errorInfo;

  /**
   * Creates an exception for an error.
   *
   * @param errorInfo the error, not {@code null}
   */
  public AblyException(ErrorInfo errorInfo) {
    super(Objects.requireNonNull(errorInfo, "errorInfo").toString());
    this.errorInfo = errorInfo;
  }

  /**
   * Creates an exception for an error with an underlying Java cause.
   *
   * @param errorInfo the error, not {@code null}
   * @param cause the underlying throwable, or {@code null}
   */
  public AblyException(ErrorInfo errorInfo, Throwable cause) {
    super(Objects.requireNonNull(errorInfo, "errorInfo").toString(), cause);
    this.errorInfo = errorInfo;
  }

  /**
   * Creates an exception from a named code and a message.
   *
   * @param code the code, which also gives the status
   * @param message a human-readable description
   * @return the exception, for the caller to throw
   */
  public static AblyException of(ErrorCode code, String message) {
    return new AblyException(ErrorInfo.of(code, message));
  }

  /**
   * Returns the error.
   *
   * @return the error, never {@code null} (after deserialization it is rebuilt from the message)
   */
  public ErrorInfo errorInfo() {
    return errorInfo != null
        ? errorInfo
        : new ErrorInfo(0, 0, getMessage(), null, null, null, null);
  }

  /**
   * Returns the Ably error code.
   *
   * @return the code, {@code 0} when unknown
   */
  public int code() {
    return errorInfo().code();
  }

  /**
   * Returns the HTTP-like status.
   *
   * @return the status, {@code 0} when unknown
   */
  public int statusCode() {
    return errorInfo().statusCode();
  }
}
