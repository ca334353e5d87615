package io.ably.engine.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on an application's {@link Executor} (which may
 * be a pool): the hand-off that keeps a client's callbacks ordered on any executor. Lock-free: a
 * queue and a flag saying whether a drain task is scheduled. It is a cross-thread boundary by
 * nature (the loop submits, the executor's threads drain), hence its atomics.
 */
public final class SerialExecutor implements Executor {
  private final Executor target;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /**
   * Wraps an executor.
   *
   * @param target the application's executor
   */
  public SerialExecutor(Executor target) {
    this.target = target;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
      try {
        target.execute(this::drain);
      } catch (RuntimeException e) {
        scheduled.set(false);
        throw e;
      }
    }
  }

  private void drain() {
    try {
      Runnable task;
      // Bounded batch, so one busy client does not starve others sharing the executor.
      for (int i = 0; i < 1024 && (task = tasks.poll()) != null; i++) {
        task.run();
      }
    } finally {
      scheduled.set(false);
      schedule();
    }
  }
}
