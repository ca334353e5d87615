package io.ably.engine.internal.channel;

import io.ably.api.state.ChannelState;
import java.util.Objects;

/**
 * What the conductor keeps for one channel between signals.
 *
 * @param status the per-state record
 * @param scope the data that outlives a state
 */
public record ChannelMachineState(ChannelStatus status, ChannelScope scope) {

  /** Checks the arguments. */
  public ChannelMachineState {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(scope, "scope");
  }

  /**
   * Returns the public state.
   *
   * @return the state
   */
  public ChannelState state() {
    return status.state();
  }
}
