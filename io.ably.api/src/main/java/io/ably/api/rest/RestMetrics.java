package io.ably.api.rest;

import java.time.Duration;

/**
 * A point-in-time view of a client's REST counters. Counters only grow. Immutable.
 *
 * @param requests HTTP requests completed with any response, fallback attempts included
 * @param failures operations that failed (an error status, a timeout, no host reachable)
 * @param fallbacks requests retried on a fallback host (RSC15)
 * @param decodeFailures messages returned with an encoding left because it could not be undone
 *     (RSL6b)
 * @param lastLatency the latency of the latest completed operation, or {@code null} before the first
 * @param latencyP50 the median latency of the last 64 operations, or {@code null}
 * @param latencyP99 the 99th percentile latency of the last 64 operations, or {@code null}
 * @param connectionsOpened HTTP connections opened
 * @since 0.2
 */
public record RestMetrics(
    long requests,
    long failures,
    long fallbacks,
    long decodeFailures,
    Duration lastLatency,
    Duration latencyP50,
    Duration latencyP99,
    long connectionsOpened) {
  /** No request made yet. */
  public static final RestMetrics NONE = new RestMetrics(0, 0, 0, 0, null, null, null, 0);
}
