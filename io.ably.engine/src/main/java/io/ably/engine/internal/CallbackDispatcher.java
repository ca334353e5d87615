package io.ably.engine.internal;

import io.ably.api.ClientOptions;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;

/**
 * Runs user callbacks where the client's options say: inline on the event loop, on the user's
 * executor, or (by default) on one of the shared callback executors, bound to this client so its
 * callbacks run one at a time, in order. A throwing callback is logged and does not affect others.
 * Called on the event loop only; immutable after construction.
 */
public final class CallbackDispatcher {
  private final Executor executor;
  private final ClientLog log;
  private final Counters counters;

  /**
   * Creates the dispatcher of one client.
   *
   * @param options the client's options
   * @param log the client's log
   * @param counters where to count callbacks that throw
   */
  public CallbackDispatcher(ClientOptions options, ClientLog log, Counters counters) {
    this.log = log;
    this.counters = counters;
    if (options.inlineCallbacks()) {
      executor = Runnable::run;
    } else if (options.callbackExecutor() != null) {
      executor = new SerialExecutor(options.callbackExecutor());
    } else {
      executor = EngineLoops.sharedCallbacks().next();
    }
  }

  /**
   * Runs a callback on the callback thread.
   *
   * @param what a description for the log if it throws
   * @param callback the callback
   */
  public void dispatch(String what, Runnable callback) {
    Runnable guarded =
        () -> {
          try {
            callback.run();
          } catch (RuntimeException | Error e) {
            counters.listenerError();
            log.log(Level.WARNING, () -> what + " threw", e);
          }
        };
    try {
      executor.execute(guarded);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, () -> "callback executor refused " + what, e);
    }
  }
}
