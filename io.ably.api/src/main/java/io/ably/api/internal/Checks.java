package io.ably.api.internal;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;

/**
 * The one argument-checking helper: every bad argument becomes an {@link AblyException} with code
 * 40003 (invalid parameter) that names the parameter and the value.
 */
public final class Checks {
  private Checks() {}

  /**
   * Returns the value, or throws if it is {@code null}.
   *
   * @param <T> the value's type
   * @param value the value
   * @param name the parameter name, for the message
   * @return the value
   */
  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw invalid(name + " must not be null");
    }
    return value;
  }

  /**
   * Throws unless the condition holds.
   *
   * @param condition what must hold
   * @param message the error message when it does not
   */
  public static void check(boolean condition, String message) {
    if (!condition) {
      throw invalid(message);
    }
  }

  /**
   * Builds the exception for an invalid parameter.
   *
   * @param message what is wrong, naming the parameter and value
   * @return the exception, for the caller to throw
   */
  public static AblyException invalid(String message) {
    return new AblyException(
        new ErrorInfo(
            ErrorCode.INVALID_PARAMETER.code(),
            ErrorCode.INVALID_PARAMETER.statusCode(),
            message,
            null,
            null,
            null,
            null));
  }
}
