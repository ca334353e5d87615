package io.ably.engine.internal;

import io.ably.api.ClientOptions;
import java.lang.System.Logger.Level;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Runs user callbacks where the client's options say: inline on the event loop, or in a serial lane
 * of this client's own ({@link SerialExecutor}) over the user's executor or (by default) the
 * engine's shared callback pool, so its callbacks run one at a time, in order, and a slow one
 * delays no other client. A throwing callback is logged and does not affect others. Called on the
 * event loop only; the callbacks dispatched by one run of the loop's queued tasks are handed to the
 * callback thread together. Also makes the client's stages ({@link #newStage()}), which know this
 * dispatcher's threads so that waiting on one from them fails fast instead of deadlocking.
 */
@EventLoopConfined
public final class CallbackDispatcher {
  private final Executor executor;
  /** The client's lane, or null with inline callbacks. */
  private final SerialExecutor lane;
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
      lane = null;
      executor = Runnable::run;
    } else {
      Executor pool = EngineLoops.sharedCallbacks();
      Executor target = options.callbackExecutor() != null ? options.callbackExecutor() : pool;
      lane = new SerialExecutor(target, pool, loop::inEventLoop);
      executor = lane;
    }
  }

  /**
   * Tells whether the current thread runs this client's callbacks (its lane, or its event loop
   * with inline callbacks): a thread that must not wait for one of the client's stages.
   *
   * @return {@code true} on a thread that completes this client's stages
   */
  public boolean onCallbackThread() {
    return loop.inEventLoop() || (lane != null && lane.inLane());
  }

  /**
   * Creates a stage to hand to the application, completed on the callback thread.
   *
   * @param <T> the result type
   * @return a new, incomplete stage
   */
  public <T> ClientStage<T> newStage() {
    return new ClientStage<>(this);
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
      // Only when the engine's own pool is shut down (the engine is being unloaded).
      log.log(Level.WARNING, () -> "callback executor refused " + tasks.size() + " callbacks", e);
    }
  }
}
