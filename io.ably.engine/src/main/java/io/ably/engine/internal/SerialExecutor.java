package io.ably.engine.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Runs tasks one at a time, in submission order, on an {@link Executor} (which may be a pool): the
 * serial lane that keeps one client's callbacks ordered and apart from every other client's.
 * Lock-free: a queue and a flag saying whether a drain task is scheduled. It is a cross-thread
 * boundary by nature (the loop submits, the executor's threads drain), hence its atomics.
 *
 * <p>The lane never loses a task and never runs one on an event loop: when the target refuses the
 * drain task (shut down, saturated) or runs it on the submitting thread (a {@code CallerRunsPolicy}
 * or a direct executor), the drain goes to the engine's own pool instead.
 */
public final class SerialExecutor implements Executor {
  private final Executor target;
  private final Executor fallback;
  private final BooleanSupplier onLoop;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** The thread draining the lane now, or null: read by stages to detect a self-deadlock. */
  private volatile Thread draining;
  private final Runnable drainTask = this::drainOffLoop;

  /**
   * Creates a lane.
   *
   * @param target where the lane runs: the engine's pool or an application's executor
   * @param fallback where it runs when {@code target} refuses or would run it on the loop
   * @param onLoop whether the current thread is the client's event loop
   */
  public SerialExecutor(Executor target, Executor fallback, BooleanSupplier onLoop) {
    this.target = target;
    this.fallback = fallback;
    this.onLoop = onLoop;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  /**
   * Tells whether the current thread is running this lane's tasks.
   *
   * @return {@code true} inside a task of this lane
   */
  public boolean inLane() {
    return draining == Thread.currentThread();
  }

  private void schedule() {
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      try {
        target.execute(drainTask);
      } catch (RuntimeException refused) {
        fallback.execute(drainTask); // a refused drain must not lose the callbacks
      }
    }
  }

  private void drainOffLoop() {
    if (onLoop.getAsBoolean()) {
      fallback.execute(this::drain); // CallerRunsPolicy or a direct executor: never on the loop
    } else {
      drain();
    }
  }

  private void drain() {
    draining = Thread.currentThread();
    try {
      Runnable task;
      // Bounded batch, so one busy client does not starve others sharing the executor.
      for (int i = 0; i < 1024 && (task = tasks.poll()) != null; i++) {
        task.run();
      }
    } finally {
      draining = null;
      scheduled.set(false);
      schedule();
    }
  }
}
