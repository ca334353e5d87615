package io.ably.engine.internal.channel;

import java.util.Map;

/**
 * What one channel's state machine needs from the client and channel options.
 *
 * @param realtimeRequestTimeoutNanos the ATTACH and DETACH timeout (TO3l11); positive
 * @param channelRetryTimeoutNanos the initial wait in SUSPENDED before re-attaching (TO3l7, RTB1);
 *     positive
 * @param requestedModes the OR of the mode flags requested in ChannelOptions.modes (RTL4l), 0 for
 *     none
 * @param params ChannelOptions.params sent on ATTACH (RTL4k); empty for none
 */
public record ChannelConfig(
    long realtimeRequestTimeoutNanos,
    long channelRetryTimeoutNanos,
    int requestedModes,
    Map<String, String> params) {

  /** Checks the arguments and copies the params. */
  public ChannelConfig {
    if (realtimeRequestTimeoutNanos <= 0 || channelRetryTimeoutNanos <= 0) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}
