package io.ably.api.filter;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;

/**
 * A filter text that {@link Filter#parse(String)} cannot read, or a construct it refuses. Carries
 * the code 40003 (invalid parameter), the 1-based column where the problem starts and what was
 * expected there; the message reads {@code column N: expected X, found Y}.
 *
 * @since 0.2
 */
public final class FilterSyntaxException extends AblyException {
  private static final long serialVersionUID = 1L;

  private final int column;
  private final String expected;

  FilterSyntaxException(int column, String expected, String found) {
    super(ErrorInfo.of(
        ErrorCode.INVALID_PARAMETER,
        "filter syntax: column " + column + ": expected " + expected + ", found " + found));
    this.column = column;
    this.expected = expected;
  }

  FilterSyntaxException(int column, String message) {
    super(ErrorInfo.of(ErrorCode.INVALID_PARAMETER, "filter syntax: column " + column + ": " + message));
    this.column = column;
    this.expected = message;
  }

  /**
   * Returns the 1-based column of the text where the problem starts.
   *
   * @return the column
   */
  public int column() {
    return column;
  }

  /**
   * Returns what was expected at {@link #column()}, or why the construct there is refused.
   *
   * @return a short description
   */
  public String expected() {
    return expected;
  }
}
