package io.ably.engine.internal.channel;

import io.ably.api.state.ChannelStateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of one signal: the next state and the effects to apply, in order.
 *
 * @param next the state to keep for the next signal
 * @param effects what to do, in order; empty if the signal changed nothing
 */
public record ChannelTransition(ChannelMachineState next, List<ChannelEffect> effects) {

  /** Copies the effects. */
  public ChannelTransition {
    Objects.requireNonNull(next, "next");
    effects = List.copyOf(effects);
  }

  /**
   * Returns the state changes among the effects, in order.
   *
   * @return the changes of the {@link ChannelEffect.Emit} effects
   */
  public List<ChannelStateChange> changes() {
    List<ChannelStateChange> changes = new ArrayList<>();
    for (ChannelEffect effect : effects) {
      if (effect instanceof ChannelEffect.Emit emit) {
        changes.add(emit.change());
      }
    }
    return changes;
  }
}
