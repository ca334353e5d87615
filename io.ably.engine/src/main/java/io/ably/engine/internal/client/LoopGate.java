package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientStage;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * How the facades hand work from application threads to the client's event loop, and make the
 * stages they return. Once the client is closed and its private loop shut down, a task is not run
 * and its stage fails with 80017 (connection closed); no application thread ever sees a
 * {@code RejectedExecutionException}. Thread-safe; immutable.
 */
final class LoopGate {
  private final EventLoop loop;
  private final CallbackDispatcher callbacks;

  LoopGate(EventLoop loop, CallbackDispatcher callbacks) {
    this.loop = loop;
    this.callbacks = callbacks;
  }

  /** A new stage of this client, completed on its callback thread. */
  <T> ClientStage<T> newStage() {
    return callbacks.newStage();
  }

  /** Runs {@code task} on the loop; if the loop is gone, fails {@code stage} (when not null). */
  void execute(Runnable task, ClientStage<?> stage) {
    if (!tryExecute(task) && stage != null) {
      stage.fail(new AblyException(ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "the client is closed")));
    }
  }

  /** Runs {@code task} on the loop; {@code false} when the loop is gone and it will never run. */
  boolean tryExecute(Runnable task) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException closed) {
      return false;
    }
  }

  /** Runs {@code task} on the loop, or nothing once the client's loop is gone. */
  void execute(Runnable task) {
    execute(task, null);
  }
}
