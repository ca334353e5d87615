package io.ably.itest;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;

/** Argument checks of the testkit's API: a bad argument is an AblyException 40003. */
final class Args {
  private Args() {}

  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw AblyException.of(ErrorCode.INVALID_PARAMETER, name + " must not be null");
    }
    return value;
  }

  static void check(boolean condition, String message) {
    if (!condition) {
      throw AblyException.of(ErrorCode.INVALID_PARAMETER, message);
    }
  }
}
