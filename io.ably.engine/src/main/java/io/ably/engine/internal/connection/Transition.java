package io.ably.engine.internal.connection;

import io.ably.api.state.ConnectionStateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of one signal: the next machine state and the effects to apply, in order.
 *
 * @param next the state to keep for the next signal
 * @param effects what to do, in order; empty if the signal changed nothing
 */
public record Transition(MachineState next, List<ConnectionEffect> effects) {

  /** Copies the effects. */
  public Transition {
    Objects.requireNonNull(next, "next");
    effects = List.copyOf(effects);
  }

  /**
   * Returns the state changes among the effects, in order.
   *
   * @return the changes of the {@link ConnectionEffect.Emit} effects
   */
  public List<ConnectionStateChange> changes() {
    List<ConnectionStateChange> changes = new ArrayList<>();
    for (ConnectionEffect effect : effects) {
      if (effect instanceof ConnectionEffect.Emit emit) {
        changes.add(emit.change());
      }
    }
    return changes;
  }
}
