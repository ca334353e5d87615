package io.ably.engine.internal;

import io.ably.api.ClientOptions;
import java.lang.System.Logger.Level;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Runs user callbacks where the client's options say: inline on the event loop, on the user's
 * executor, or (by default) on one of the shared callback executors, bound to this client so its
 * callbacks run one at a time, in order. A throwing callback is logged and does not affect others.
 * Called on the event loop only; the callbacks dispatched by one run of the loop's queued tasks are
 * handed to the callback thread together.
 */
@EventLoopConfined
public final class CallbackDispatcher {
  private final Executor executor;
  private final boolean inline;
  /** The client's event loop, where {@link #dispatch} is called; batches are handed off from it. */
  private final EventLoop loop;
  /** Callbacks dispatched since the last hand-off, in order; loop-confined. */
  private List<Runnable> batch = new ArrayList<>();
  private final Runnable handOff = this::handOff;
  private final ClientLog log;
  private final Counters counters;

  /**
   * Creates the dispatcher of one client.
   *
   * @param options the client's options
   * @param log the client's log
   * @param counters where to count callbacks that throw
   * @param loop the client's event loop, on which {@link #dispatch} is always called
   */
  public CallbackDispatcher(ClientOptions options, ClientLog log, Counters counters, EventLoop loop) {
    this.log = log;
    this.counters = counters;
    this.loop = loop;
    this.inline = options.inlineCallbacks();
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
    assert loop.inEventLoop();
    if (inline) {
      guarded.run();
      return;
    }
    // Callbacks dispatched by the loop tasks already queued go to the callback thread as one task:
    // a burst (a frame of ACKs, a read of many messages) costs one thread hand-off, not one each.
    batch.add(guarded);
    if (batch.size() == 1) {
      loop.execute(handOff);
    }
  }

  private void handOff() {
    List<Runnable> tasks = batch;
    batch = new ArrayList<>();
    try {
      executor.execute(
          () -> {
            for (Runnable task : tasks) {
              task.run();
            }
          });
    } catch (RuntimeException e) {
      log.log(Level.WARNING, () -> "callback executor refused " + tasks.size() + " callbacks", e);
    }
  }
}
