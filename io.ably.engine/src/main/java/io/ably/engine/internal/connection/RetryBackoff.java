package io.ably.engine.internal.connection;

/** The retry delay of RTB1: the initial delay times a backoff and a jitter coefficient. */
public final class RetryBackoff {
  private RetryBackoff() {}

  /**
   * Returns the backoff coefficient of the nth retry: min((n + 2) / 3, 2), so 1, 4/3, 5/3, 2, 2...
   * (RTB1a).
   *
   * @param retryCount n, from 1
   * @return the coefficient
   */
  static double backoffCoefficient(int retryCount) {
    if (retryCount < 1) {
      throw new IllegalArgumentException("retryCount counts from 1: " + retryCount);
    }
    return Math.min((retryCount + 2) / 3.0, 2.0);
  }

  /**
   * Maps a uniform random number in [0, 1) to a jitter coefficient in (0.8, 1] (RTB1b).
   *
   * @param uniform a random number in [0, 1)
   * @return the coefficient
   */
  static double jitterCoefficient(double uniform) {
    if (!(uniform >= 0.0 && uniform < 1.0)) {
      throw new IllegalArgumentException("uniform must be in [0, 1): " + uniform);
    }
    return 1.0 - 0.2 * uniform;
  }

  /**
   * Returns the delay before the nth retry (RTB1).
   *
   * @param initialNanos the initial retry timeout (disconnectedRetryTimeout)
   * @param retryCount n, from 1
   * @param uniform a random number in [0, 1)
   * @return the delay, at least 1 ns
   */
  public static long delayNanos(long initialNanos, int retryCount, double uniform) {
    double delay = initialNanos * backoffCoefficient(retryCount) * jitterCoefficient(uniform);
    return Math.max(1L, Math.round(delay));
  }
}
