package io.ably.engine.internal;

import io.ably.api.rest.RestMetrics;
import java.time.Duration;
import java.util.Arrays;

/**
 * A cross-thread boundary: a client's REST counters. The event loop is the single writer of every
 * field; readers on any thread (metrics, JMX) see each field's latest value without blocking. A
 * snapshot is consistent per field, not across fields.
 */
// Every volatile field has one writer, the event loop, so read-modify-write needs no atomicity.
@SuppressWarnings("NonAtomicVolatileUpdate")
public final class RestCounters {
  /** Latencies kept for percentiles. */
  static final int LATENCY_WINDOW = 64;

  private volatile long requests;
  private volatile long failures;
  private volatile long fallbacks;
  private volatile long decodeFailures;
  private volatile long connectionsOpened;
  /** The last LATENCY_WINDOW operation latencies in nanos; replaced whole each time. */
  private volatile long[] recentLatencyNanos = new long[0];

  /** Counts an HTTP response received (any status). Event loop only. */
  public void restResponse() {
    requests = requests + 1;
  }

  /** Counts a failed REST operation. Event loop only. */
  public void restFailure() {
    failures = failures + 1;
  }

  /** Counts an attempt on a fallback host. Event loop only. */
  public void restFallback() {
    fallbacks = fallbacks + 1;
  }

  /**
   * Counts messages that could not be fully decoded (RSL6b). Event loop only.
   *
   * @param n how many
   */
  public void decodeFailures(int n) {
    decodeFailures = decodeFailures + n;
  }

  /** Counts an HTTP connection opened. Event loop only. */
  public void restConnectionOpened() {
    connectionsOpened = connectionsOpened + 1;
  }

  /**
   * Records the latency of a completed operation. Event loop only.
   *
   * @param nanos the latency
   */
  public void latency(long nanos) {
    long[] old = recentLatencyNanos;
    long[] next =
        old.length < LATENCY_WINDOW
            ? Arrays.copyOf(old, old.length + 1)
            : Arrays.copyOfRange(old, 1, LATENCY_WINDOW + 1);
    next[next.length - 1] = nanos;
    recentLatencyNanos = next;
  }

  /**
   * Returns the counters now. Any thread.
   *
   * @return a snapshot
   */
  public RestMetrics snapshot() {
    long[] r = recentLatencyNanos.clone();
    Duration last = r.length == 0 ? null : Duration.ofNanos(r[r.length - 1]);
    Arrays.sort(r);
    return new RestMetrics(
        requests, failures, fallbacks, decodeFailures, last, percentile(r, 50), percentile(r, 99),
        connectionsOpened);
  }

  private static Duration percentile(long[] sorted, double percentile) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return Duration.ofNanos(sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]);
  }
}
