package io.ably.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ClientOptions;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where callbacks run: each client in a lane of its own, never on the loop unless inline, never
 * lost, and a stage waited on from its own lane fails fast instead of deadlocking.
 */
class CallbackLaneTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private CallbackDispatcher dispatcher(ClientOptions.Builder options) {
    return new CallbackDispatcher(options.key("a.b:c").build(), new ClientLog("t", Level.WARNING), new Counters(), loop);
  }

  private void dispatch(CallbackDispatcher d, Runnable callback) {
    loop.execute(() -> d.dispatch("test", callback));
  }

  @Test
  void aClientWhoseListenerBlocksDelaysNoOtherClientEvenWhenManyBlock() throws Exception {
    // More blocked clients than any fixed pool of callback threads a machine would get by default.
    int blocked = 4 * Runtime.getRuntime().availableProcessors() + 4;
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allBlocked = new CountDownLatch(blocked);
    try {
      for (int i = 0; i < blocked; i++) {
        dispatch(dispatcher(ClientOptions.builder()), () -> {
          allBlocked.countDown();
          awaitQuietly(release);
        });
      }
      assertTrue(allBlocked.await(10, TimeUnit.SECONDS), "every slow listener runs, each in its own lane");
      CompletableFuture<String> other = new CompletableFuture<>();
      dispatch(dispatcher(ClientOptions.builder()), () -> other.complete(Thread.currentThread().getName()));
      assertTrue(other.get(10, TimeUnit.SECONDS).startsWith("ably-callback"));
    } finally {
      release.countDown();
    }
  }

  @Test
  void undeliveredMessagesAboveTheHighMarkPauseReadsUntilTheLaneDeliversDownToTheLowMark() throws Exception {
    CallbackDispatcher d = dispatcher(ClientOptions.builder().inboundHighWaterMark(10).inboundLowWaterMark(2));
    java.util.concurrent.LinkedBlockingQueue<Boolean> gate = new java.util.concurrent.LinkedBlockingQueue<>();
    CountDownLatch release = new CountDownLatch(1);
    loop.submit(() -> d.readGate(gate::add)).get(10, TimeUnit.SECONDS);
    // one blocked callback delivering 4 messages, then 7 more callbacks of 1: 11 undelivered
    loop.execute(() -> d.dispatchMessages("test", () -> awaitQuietly(release), 4));
    for (int i = 0; i < 7; i++) {
      loop.execute(() -> d.dispatchMessages("test", () -> {}, 1));
    }
    assertEquals(Boolean.TRUE, gate.poll(10, TimeUnit.SECONDS), "paused above 10");
    assertEquals(11L, loop.submit(d::undelivered).get(10, TimeUnit.SECONDS));
    assertTrue(loop.submit(d::readsPaused).get(10, TimeUnit.SECONDS));
    release.countDown();
    assertEquals(Boolean.FALSE, gate.poll(10, TimeUnit.SECONDS), "resumed once delivered");
    CompletableFuture<Long> left = new CompletableFuture<>();
    // the lane reports by loop tasks; the last report may follow the resume
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); ; ) {
      long n = loop.submit(d::undelivered).get(10, TimeUnit.SECONDS);
      if (n == 0 || System.nanoTime() > deadline) {
        left.complete(n);
        break;
      }
      CountDownLatch laneTurn = new CountDownLatch(1);
      loop.execute(() -> d.dispatch("test", laneTurn::countDown));
      assertTrue(laneTurn.await(10, TimeUnit.SECONDS));
    }
    assertEquals(0L, left.get());
    assertTrue(gate.isEmpty(), "no second pause or resume: " + gate);
  }

  @Test
  void inlineCallbacksNeverPauseReads() throws Exception {
    CallbackDispatcher d = dispatcher(ClientOptions.builder().inlineCallbacks(true).inboundHighWaterMark(1).inboundLowWaterMark(0));
    java.util.concurrent.LinkedBlockingQueue<Boolean> gate = new java.util.concurrent.LinkedBlockingQueue<>();
    loop.submit(() -> {
      d.readGate(gate::add);
      for (int i = 0; i < 100; i++) {
        d.dispatchMessages("test", () -> {}, 10);
      }
    }).get(10, TimeUnit.SECONDS);
    assertEquals(0L, loop.submit(d::undelivered).get(10, TimeUnit.SECONDS));
    assertTrue(gate.isEmpty());
  }

  @Test
  void oneClientsCallbacksRunOneAtATimeInOrder() throws Exception {
    CallbackDispatcher d = dispatcher(ClientOptions.builder());
    List<Integer> seen = new ArrayList<>(); // one lane: no two callbacks at once
    CountDownLatch done = new CountDownLatch(1000);
    for (int i = 0; i < 1000; i++) {
      int n = i;
      dispatch(d, () -> {
        seen.add(n);
        done.countDown();
      });
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, seen.get(i));
    }
  }

  @Test
  void callbacksRefusedByTheApplicationsExecutorStillRunOnTheEnginesPool() throws Exception {
    Executor refusing = task -> {
      throw new RejectedExecutionException("saturated");
    };
    CallbackDispatcher d = dispatcher(ClientOptions.builder().callbackExecutor(refusing));
    CompletableFuture<String> ran = new CompletableFuture<>();
    dispatch(d, () -> ran.complete(Thread.currentThread().getName()));
    assertTrue(ran.get(10, TimeUnit.SECONDS).startsWith("ably-callback"), "not lost");
  }

  @Test
  void anExecutorThatRunsTasksOnTheCallersThreadNeverRunsUserCodeOnTheLoop() throws Exception {
    ThreadPoolExecutor callerRuns =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(), new ThreadPoolExecutor.CallerRunsPolicy());
    CountDownLatch hold = new CountDownLatch(1);
    try {
      callerRuns.execute(() -> awaitQuietly(hold)); // saturated: the next task runs on its submitter
      for (Executor e : List.<Executor>of(callerRuns, Runnable::run)) {
        CallbackDispatcher d = dispatcher(ClientOptions.builder().callbackExecutor(e));
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        dispatch(d, () -> onLoop.complete(loop.inEventLoop()));
        assertFalse(onLoop.get(10, TimeUnit.SECONDS), "user code ran on the event loop with " + e);
      }
    } finally {
      hold.countDown();
      callerRuns.shutdown();
    }
  }

  @Test
  void waitingOnAnIncompleteStageFromItsOwnCallbackThreadFailsFastInsteadOfDeadlocking() throws Exception {
    for (ClientOptions.Builder o : List.of(ClientOptions.builder(), ClientOptions.builder().inlineCallbacks(true))) {
      CallbackDispatcher d = dispatcher(o);
      ClientStage<String> stage = d.newStage();
      CompletableFuture<Throwable> joined = new CompletableFuture<>();
      dispatch(d, () -> joined.complete(assertThrows(IllegalStateException.class, stage::join)));
      assertTrue(joined.get(10, TimeUnit.SECONDS).getMessage().contains("thenAccept"));
      CompletableFuture<Throwable> got = new CompletableFuture<>();
      dispatch(d, () -> got.complete(assertThrows(IllegalStateException.class, () -> stage.toCompletableFuture().get(1, TimeUnit.SECONDS))));
      assertTrue(got.get(10, TimeUnit.SECONDS) instanceof IllegalStateException, "dependents check too");
      // Once complete, waiting is harmless anywhere.
      stage.succeed("done");
      CompletableFuture<String> after = new CompletableFuture<>();
      dispatch(d, () -> after.complete(stage.join()));
      assertEquals("done", after.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void theApplicationCannotCompleteTheEnginesStageButCanCompleteItsCopy() throws Exception {
    ClientStage<String> stage = dispatcher(ClientOptions.builder()).newStage();
    assertThrows(UnsupportedOperationException.class, () -> stage.complete("mine"));
    assertThrows(UnsupportedOperationException.class, () -> stage.cancel(true));
    CompletableFuture<String> copy = stage.toCompletableFuture();
    copy.orTimeout(1, TimeUnit.MILLISECONDS);
    ExecutionOutcome outcome = ExecutionOutcome.of(copy);
    assertTrue(outcome.cause() instanceof TimeoutException, String.valueOf(outcome.cause()));
    assertFalse(stage.isDone(), "the copy's timeout leaves the engine's stage alone");
    stage.succeed("engine");
    assertEquals("engine", stage.join());
  }

  /** How a future ended, waited for from the test thread. */
  private record ExecutionOutcome(Throwable cause) {
    static ExecutionOutcome of(CompletableFuture<?> f) throws InterruptedException {
      try {
        f.get(10, TimeUnit.SECONDS);
        return new ExecutionOutcome(null);
      } catch (java.util.concurrent.ExecutionException e) {
        return new ExecutionOutcome(e.getCause());
      } catch (TimeoutException e) {
        throw new AssertionError("still running", e);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
