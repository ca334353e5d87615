package io.ably.engine.internal;

import io.ably.api.ClientOptions;
import java.lang.System.Logger.Level;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs user callbacks where the client's options say: inline on the event loop, or in a serial lane
 * of this client's own ({@link SerialExecutor}) over the user's executor or (by default) the
 * engine's shared callback pool, so its callbacks run one at a time, in order, and a slow one
 * delays no other client. A throwing callback is logged and does not affect others. Called on the
 * event loop only; the callbacks dispatched by one run of the loop's queued tasks are handed to the
 * callback thread together. Also makes the client's stages ({@link #newStage()}), which know this
 * dispatcher's threads so that waiting on one from them fails fast instead of deadlocking.
 *
 * <p>Inbound backpressure: it counts the received messages handed to the lane and not yet
 * delivered ({@link #dispatchMessages}). Above {@link ClientOptions#inboundHighWaterMark()} it asks
 * its {@link ReadGate} to stop reading, and once the lane has delivered down to
 * {@link ClientOptions#inboundLowWaterMark()} to read again. The count is loop-confined: the lane
 * reports each delivered batch by a task on the loop, never through a shared counter.
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
  private final int highWaterMark;
  private final int lowWaterMark;
  /** Received messages handed towards the lane and not yet delivered; loop-confined. */
  private long undelivered;
  /** Of those, the ones in {@link #batch}, not yet handed off; loop-confined. */
  private int batchMessages;
  /** Whether reading was paused at the high-water mark; loop-confined. */
  private boolean readsPaused;
  /** Told when reading must stop or may go on; loop-confined. */
  private ReadGate readGate = paused -> {};

  /** What the dispatcher tells when reading must pause ({@code true}) or may resume. */
  @FunctionalInterface
  public interface ReadGate {
    /**
     * Pauses or resumes reading from the network; called on the loop.
     *
     * @param paused {@code true} to stop reading
     */
    void readsPaused(boolean paused);
  }

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
    this.highWaterMark = options.inboundHighWaterMark();
    this.lowWaterMark = options.inboundLowWaterMark();
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
   * Sets what is told when reading must pause or may resume. Called by the owner before the
   * client is published to other threads.
   *
   * @param gate the gate
   */
  public void readGate(ReadGate gate) {
    this.readGate = gate;
  }

  /**
   * Tells whether reading is paused because too many received messages wait for the application.
   * Called on the loop.
   *
   * @return {@code true} between the high-water mark and the low one
   */
  public boolean readsPaused() {
    return readsPaused;
  }

  /**
   * Returns how many received messages wait for the application's callbacks. Called on the loop.
   *
   * @return the count
   */
  public long undelivered() {
    return undelivered;
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
    dispatchMessages(what, callback, 0);
  }

  /**
   * Runs a callback that delivers received messages on the callback thread, counting them as
   * undelivered until it has run (inbound backpressure).
   *
   * @param what a description for the log if it throws
   * @param callback the callback
   * @param messages how many received messages it delivers
   */
  public void dispatchMessages(String what, Runnable callback, int messages) {
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
    if (messages > 0) {
      batchMessages += messages;
      undelivered += messages;
      if (!readsPaused && undelivered > highWaterMark) {
        readsPaused = true;
        readGate.readsPaused(true);
      }
    }
    if (batch.size() == 1) {
      loop.execute(handOff);
    }
  }

  private void handOff() {
    List<Runnable> tasks = batch;
    int messages = batchMessages;
    batch = new ArrayList<>();
    batchMessages = 0;
    try {
      executor.execute(
          () -> {
            for (Runnable task : tasks) {
              task.run();
            }
            if (messages > 0) {
              reportDelivered(messages);
            }
          });
    } catch (RuntimeException e) {
      // Only when the engine's own pool is shut down (the engine is being unloaded).
      log.log(Level.WARNING, () -> "callback executor refused " + tasks.size() + " callbacks", e);
      delivered(messages);
    }
  }

  /** On the lane: tells the loop, by a task, that a batch's messages were delivered. */
  private void reportDelivered(int messages) {
    try {
      loop.execute(() -> delivered(messages));
    } catch (RejectedExecutionException e) {
      // The loop is shutting down with the client: nothing reads any more.
    }
  }

  private void delivered(int messages) {
    assert loop.inEventLoop();
    undelivered -= messages;
    if (readsPaused && undelivered <= lowWaterMark) {
      readsPaused = false;
      readGate.readsPaused(false);
    }
  }
}
