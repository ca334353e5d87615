package io.ably.engine.internal.client;

import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.EventLoopConfined;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who hears of connection state changes (RTN4): the application's listeners and {@code whenState}
 * stages on the callback thread, and the engine's own continuations (a close waiting for CLOSED),
 * which run on the loop and never through the application's executor. One of the conductor's
 * parts; loop-confined.
 */
@EventLoopConfined
final class ConnectionNotifier {
  private final CallbackDispatcher callbacks;
  /** State-change listeners, in registration order. */
  private final List<Consumer<ConnectionStateChange>> listeners = new ArrayList<>();
  /** The change that last entered each state, for whenState. */
  private final Map<ConnectionState, ConnectionStateChange> lastEntered = new EnumMap<>(ConnectionState.class);
  /** What waits for one of some states; each runs once, on the loop. */
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Set<ConnectionState> states, Consumer<ConnectionStateChange> then) {}

  ConnectionNotifier(CallbackDispatcher callbacks) {
    this.callbacks = callbacks;
    lastEntered.put(
        ConnectionState.INITIALIZED,
        new ConnectionStateChange(
            ConnectionState.INITIALIZED, ConnectionState.INITIALIZED, ConnectionEvent.INITIALIZED, null, null));
  }

  void addListener(Consumer<ConnectionStateChange> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<ConnectionStateChange> listener) {
    listeners.remove(listener);
  }

  /** The change that last entered {@code state}, or null. */
  ConnectionStateChange lastEntered(ConnectionState state) {
    return lastEntered.get(state);
  }

  /** Completes {@code stage} on the callback thread once {@code wanted} is entered (at once if current). */
  void whenState(ConnectionState current, ConnectionState wanted, ClientStage<ConnectionStateChange> stage) {
    if (current == wanted) {
      ConnectionStateChange change = lastEntered.get(wanted);
      callbacks.dispatch("whenState stage", () -> stage.succeed(change));
    } else {
      onLoopWhenEntering(Set.of(wanted), change -> callbacks.dispatch("whenState stage", () -> stage.succeed(change)));
    }
  }

  /** Runs {@code then} on the loop, once, when one of {@code states} is next entered. */
  void onLoopWhenEntering(Set<ConnectionState> states, Consumer<ConnectionStateChange> then) {
    waiters.add(new Waiter(states, then));
  }

  /** Records a change and hands it to the listeners, on the callback thread. */
  void tell(ConnectionStateChange change) {
    if (change.event() != ConnectionEvent.UPDATE) {
      lastEntered.put(change.current(), change);
    }
    for (Consumer<ConnectionStateChange> l : List.copyOf(listeners)) {
      callbacks.dispatch("connection state listener", () -> l.accept(change));
    }
  }

  /** Runs what waited for the state a change entered. */
  void resolve(ConnectionStateChange change) {
    if (change.event() == ConnectionEvent.UPDATE) {
      return;
    }
    List<Waiter> due = new ArrayList<>();
    waiters.removeIf(
        w -> {
          if (w.states().contains(change.current())) {
            due.add(w);
            return true;
          }
          return false;
        });
    for (Waiter w : due) {
      w.then().accept(change);
    }
  }
}
