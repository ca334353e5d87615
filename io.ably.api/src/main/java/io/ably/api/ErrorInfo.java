package io.ably.api;

import io.ably.api.internal.Checks;
import java.util.Map;
import java.util.Objects;

/**
 * An error as Ably reports it (TI1–TI6): an Ably error code, an HTTP-like status and a message.
 *
 * <p>Build errors from a named {@link ErrorCode} with {@link #of(ErrorCode, String)}; the canonical
 * constructor is for errors received from the service and validates its arguments so that a code
 * and a status passed the wrong way round are rejected: a code is {@code 0} (unknown) or five
 * digits, a status is {@code 0} (unknown) or between 100 and 599.
 *
 * @param code the Ably error code, {@code 0} when unknown
 * @param statusCode the HTTP-like status, {@code 0} when unknown
 * @param message a human-readable description, never {@code null} (empty when none was given)
 * @param href a link to help about this error, or {@code null}
 * @param cause the error that caused this one, or {@code null}
 * @param detail further key-value details (TI6), never {@code null}, unmodifiable
 * @param requestId the id of the REST request that failed (RSC7c), or {@code null}
 * @since 0.1
 */
public record ErrorInfo(
    int code,
    int statusCode,
    String message,
    String href,
    ErrorInfo cause,
    Map<String, String> detail,
    String requestId) {

  /** Validates the fields and copies the detail map. */
  public ErrorInfo {
    if (code != 0 && (code < 10_000 || code > 99_999)) {
      throw Checks.invalid("ErrorInfo.code must be 0 or a five-digit Ably error code, was " + code);
    }
    if (statusCode != 0 && (statusCode < 100 || statusCode > 599)) {
      throw Checks.invalid(
          "ErrorInfo.statusCode must be 0 or an HTTP status (100-599), was " + statusCode);
    }
    message = message == null ? "" : message;
    detail = detail == null ? Map.of() : Map.copyOf(detail);
  }

  /**
   * Creates an error from a named code.
   *
   * @param code the code, which also gives the status
   * @param message a human-readable description
   * @return the error
   */
  public static ErrorInfo of(ErrorCode code, String message) {
    Objects.requireNonNull(code, "code");
    return new ErrorInfo(code.code(), code.statusCode(), message, null, null, Map.of(), null);
  }

  /**
   * Creates an error from a named code with a cause.
   *
   * @param code the code, which also gives the status
   * @param message a human-readable description
   * @param cause the underlying error, or {@code null}
   * @return the error
   */
  public static ErrorInfo of(ErrorCode code, String message, ErrorInfo cause) {
    Objects.requireNonNull(code, "code");
    return new ErrorInfo(code.code(), code.statusCode(), message, null, cause, Map.of(), null);
  }

  /**
   * Tells whether this error has the given code.
   *
   * @param errorCode a named code
   * @return {@code true} if {@link #code()} equals {@code errorCode.code()}
   */
  public boolean is(ErrorCode errorCode) {
    return errorCode != null && code == errorCode.code();
  }

  /**
   * Returns the named constant for this error's code.
   *
   * @return the constant, or {@code null} when the code is not one this client names
   */
  public ErrorCode errorCode() {
    return ErrorCode.forCode(code);
  }

  /**
   * Tells whether this is a token error, which a client answers by renewing its token (RSA4b):
   * a code from 40140 to 40149.
   *
   * @return {@code true} for a token error
   */
  public boolean isTokenError() {
    return code >= 40_140 && code < 40_150;
  }

  /**
   * Returns a copy with a different cause.
   *
   * @param newCause the new cause, or {@code null}
   * @return the copy
   */
  public ErrorInfo withCause(ErrorInfo newCause) {
    return new ErrorInfo(code, statusCode, message, href, newCause, detail, requestId);
  }

  /** Returns {@code "[code/status] message"} followed by the cause, if any. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append('[').append(code).append('/').append(statusCode);
    sb.append("] ").append(message);
    if (!detail.isEmpty()) {
      sb.append(' ').append(detail);
    }
    if (requestId != null) {
      sb.append(" (requestId ").append(requestId).append(')');
    }
    if (cause != null) {
      sb.append("; caused by ").append(cause);
    }
    return sb.toString();
  }
}
