package io.ably.engine.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stage the engine hands to the application. It is completed on the client's callback thread,
 * so a thread of that client's callbacks (or its event loop) that waits on an incomplete one
 * ({@code join()}, {@code get()}) would wait for itself for ever: that fails at once with an
 * {@link IllegalStateException} instead, as Netty's own futures do on their event loop. Its
 * dependents are client stages too (with the same check), which the application may complete as
 * any {@code CompletableFuture}; the stage the engine returns is completed by the engine only, and
 * {@link #toCompletableFuture()} gives a copy (as {@code minimalCompletionStage()}'s does).
 *
 * @param <T> the result type
 */
public final class ClientStage<T> extends CompletableFuture<T> {
  private final CallbackDispatcher callbacks;
  /** Whether this is the stage the engine completes, which the application may not. */
  private final boolean engines;

  ClientStage(CallbackDispatcher callbacks) {
    this(callbacks, true);
  }

  private ClientStage(CallbackDispatcher callbacks, boolean engines) {
    this.callbacks = callbacks;
    this.engines = engines;
  }

  /**
   * Completes the stage with a value (the engine's side).
   *
   * @param value the value
   * @return whether this call completed it
   */
  public boolean succeed(T value) {
    return super.complete(value);
  }

  /**
   * Completes the stage with a failure (the engine's side).
   *
   * @param failure the failure
   * @return whether this call completed it
   */
  public boolean fail(Throwable failure) {
    return super.completeExceptionally(failure);
  }

  private void checkDeadlock() {
    if (!isDone() && callbacks.onCallbackThread()) {
      throw new IllegalStateException(
          "waiting on an Ably stage from its own client's callback thread would wait for ever: the"
              + " stage is completed on this very thread; chain a callback (thenAccept, whenComplete)"
              + " instead of join() or get()");
    }
  }

  @Override
  public T join() {
    checkDeadlock();
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    checkDeadlock();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    checkDeadlock();
    return super.get(timeout, unit);
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new ClientStage<>(callbacks, false);
  }

  @Override
  public CompletableFuture<T> toCompletableFuture() {
    return copy();
  }

  @Override
  public boolean complete(T value) {
    refuseIfEngines();
    return super.complete(value);
  }

  @Override
  public boolean completeExceptionally(Throwable failure) {
    refuseIfEngines();
    return super.completeExceptionally(failure);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    refuseIfEngines();
    return super.cancel(mayInterruptIfRunning);
  }

  @Override
  public void obtrudeValue(T value) {
    refuseIfEngines();
    super.obtrudeValue(value);
  }

  @Override
  public void obtrudeException(Throwable failure) {
    refuseIfEngines();
    super.obtrudeException(failure);
  }

  private void refuseIfEngines() {
    if (engines) {
      throw new UnsupportedOperationException(
          "the Ably engine completes this stage; complete a copy from toCompletableFuture()");
    }
  }
}
