package io.ably.engine.internal.client;

import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.spi.SubscriptionStore;
import io.ably.engine.internal.ChannelDirectory;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A client's persistent subscriptions (issue #18): reads the {@link SubscriptionStore} when the
 * client is created (on the creating thread), gives each persistent channel its stored position,
 * and keeps the store up to date. Every {@code storeWriteDelay} the event loop takes a snapshot of
 * the recovery key and the persistent channels' positions; when it changed, the snapshot (an
 * immutable value) goes to a writer thread of its own, so no write ever blocks the loop. The writer
 * reports each finished write back on the loop, for the counters.
 *
 * <p>Fields after {@link #start} are touched on the loop only, except {@link #stored}, which is
 * immutable, and {@link #writer}, which is thread-safe.
 */
final class SubscriptionPersistence {
  private final SubscriptionStore store;
  private final String clientName;
  private final ClientLog log;
  private final Duration writeDelay;
  private final Duration expiry;
  /** The positions an earlier run stored, by channel name; immutable. */
  private final Map<String, SubscriptionStore.Position> stored;
  /** The recovery key to use for this run, or null. */
  private final String recoveryKey;
  private final ExecutorService writer;
  /** Whether what was stored could not be read (corrupt, truncated, another version). */
  private final boolean loadFailed;
  // ---- loop-confined from start() on ----
  private EventLoop loop;
  /** The connection's recovery key now (RTN16g), or empty. */
  private Supplier<Optional<String>> recoveryKeys;
  /** The connection's connectionStateTtl now (CD2f): how long a recovery key is worth trying. */
  private LongSupplier connectionStateTtlNanos;
  private ChannelDirectory<RealChannel> directory;
  private Counters counters;
  private ScheduledFuture<?> ticks;
  /** What was last handed to the writer, without its times, to skip a write that changes nothing. */
  private Fingerprint lastHanded;
  /** Writes handed to the writer and not yet reported back. */
  private int inFlight;
  /**
   * Completed once the client is closing and no write is in flight: every acknowledgement has
   * been told its write's outcome. A client with its own event loop shuts it down only then, or a
   * write ending later would find no loop to report on and its acknowledgements would wait for
   * ever.
   */
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  /** Acknowledgements waiting for the next write (ChannelOptions.manualAcknowledgement). */
  private List<Consumer<ErrorInfo>> waiting = new ArrayList<>();
  private boolean closed;

  /** A snapshot without its times. */
  private record Fingerprint(String key, Map<String, SubscriptionStore.Position> positions) {}

  private SubscriptionPersistence(
      ClientOptions options, String clientName, ClientLog log, Map<String, SubscriptionStore.Position> stored,
      String recoveryKey, boolean loadFailed) {
    this.store = options.subscriptionStore();
    this.clientName = clientName;
    this.log = log;
    this.writeDelay = options.storeWriteDelay();
    this.expiry = options.storeExpiry();
    this.stored = Map.copyOf(stored);
    this.recoveryKey = recoveryKey;
    this.loadFailed = loadFailed;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ably-store-" + clientName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Reads the store of a client being created, on the creating thread. Expired state is deleted;
   * unreadable state is logged and ignored; a recovery key still valid is taken for this run and
   * removed from the store before it is used, so that it is never used twice.
   *
   * @return the persistence, or null when the options have no store
   */
  static SubscriptionPersistence open(ClientOptions options, String clientName, ClientLog log) {
    SubscriptionStore store = options.subscriptionStore();
    if (store == null) {
      return null;
    }
    SubscriptionStore.State state = null;
    boolean failed = false;
    try {
      state = store.load(clientName).orElse(null);
    } catch (IOException | RuntimeException e) {
      failed = true; // counted as a store failure once the client starts (ClientMetrics.storeFailures)
      log.log(Level.WARNING, () -> "the subscription store of client " + clientName
          + " could not be read and is ignored; this run starts afresh: " + e.getMessage());
    }
    Instant now = Instant.now();
    if (state != null && !now.isBefore(state.expiresAt())) {
      SubscriptionStore.State expired = state;
      log.log(Level.INFO, () -> "the subscription store of client " + clientName + " expired at "
          + expired.expiresAt() + "; it is deleted and this run starts afresh");
      try {
        store.delete(clientName);
      } catch (IOException | RuntimeException e) {
        log.log(Level.WARNING, () -> "the expired subscription store of client " + clientName
            + " could not be deleted: " + e.getMessage());
      }
      state = null;
    }
    if (state == null) {
      return new SubscriptionPersistence(options, clientName, log, Map.of(), null, failed);
    }
    String key = null;
    if (state.recoveryKey() != null) {
      boolean valid = state.recoveryKeyExpiresAt() == null || now.isBefore(state.recoveryKeyExpiresAt());
      try {
        store.save(clientName, state.withoutRecoveryKey()); // never used twice, whatever happens next
        if (valid && options.recover() == null) {
          key = state.recoveryKey();
        }
      } catch (IOException | RuntimeException e) {
        log.log(Level.WARNING, () -> "the recovery key of client " + clientName
            + " could not be removed from the store, so it is not used: " + e.getMessage());
      }
    }
    return new SubscriptionPersistence(options, clientName, log, state.channels(), key, false);
  }

  /** The options this run connects with: the stored recovery key, if one is used (RTN16). */
  ClientOptions options(ClientOptions given) {
    return recoveryKey == null ? given : given.toBuilder().recover(recoveryKey).build();
  }

  /**
   * Gives a new channel its stored position, if it is persistent and has one. On the thread that
   * creates the channel, before the channel is published to the loop.
   */
  void adopt(ChannelCore core) {
    SubscriptionStore.Position p = stored.get(core.name);
    if (p != null && core.options().manualAcknowledgement()) {
      core.resumeAfter(p); // what was acknowledged: strictly after it, even on a recovered connection
    } else if (p != null && core.options().persistent()) {
      core.resumeFrom(p.lastId(), p.lastSerial());
    }
  }

  /**
   * Makes the positions acknowledged so far durable (ChannelOptions.manualAcknowledgement): {@code
   * done} runs on the loop once a write that holds them is on disk, with null, or with what
   * failed. A write runs at once unless one is in flight; then the acknowledgements made meanwhile
   * wait for it and go together in the next (group commit). On the loop.
   */
  void flush(Consumer<ErrorInfo> done) {
    assert loop == null || loop.inEventLoop();
    if (closed || loop == null) {
      done.accept(ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "the client " + clientName
          + (closed ? " is closed" : " is not started") + ": nothing more is stored"));
      return;
    }
    waiting.add(done);
    if (inFlight == 0) {
      snapshot(true, true);
    }
  }

  /** Starts the periodic snapshots. Any thread; the snapshots run on the loop. */
  void start(
      EventLoop loop, Supplier<Optional<String>> recoveryKeys, LongSupplier connectionStateTtlNanos,
      ChannelDirectory<RealChannel> directory, Counters counters) {
    loop.execute(
        () -> {
          this.loop = loop;
          this.recoveryKeys = recoveryKeys;
          this.connectionStateTtlNanos = connectionStateTtlNanos;
          if (loadFailed) {
            counters.storeFailed();
          }
          this.directory = directory;
          this.counters = counters;
          long ms = writeDelay.toMillis();
          ticks = loop.scheduleWithFixedDelay(() -> snapshot(true), ms, ms, TimeUnit.MILLISECONDS);
        });
  }

  /** The client is closing: a last write, without a recovery key (the connection ends). On the loop. */
  void closing() {
    if (!closed && loop != null) {
      snapshot(false, !waiting.isEmpty());
      ticks.cancel(false);
    }
    closed = true;
    writer.shutdown(); // after the last write queued; thread-safe
    if (inFlight == 0) {
      drained.complete(null);
    }
  }

  /**
   * Completed once the client is closing and every write handed to the writer has reported (on
   * the loop), or at once for a client closed without its loop.
   */
  CompletionStage<Void> drained() {
    return drained;
  }

  /** The client's loop is gone before it could close: no last write. Any thread. */
  void closedWithoutLoop() {
    writer.shutdown();
    drained.complete(null);
  }

  /**
   * Waits, on a user thread that closed the client, until the last write is done (the writer
   * ends after it). Never on the loop.
   */
  void awaitLastWrite(long timeoutMillis) throws InterruptedException {
    writer.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void snapshot(boolean withKey) {
    snapshot(withKey, false);
  }

  /**
   * Hands a snapshot to the writer if it changed, or always when {@code force} (an acknowledgement
   * waits): the waiting acknowledgements go with it.
   */
  private void snapshot(boolean withKey, boolean force) {
    assert loop.inEventLoop();
    if (closed) {
      return;
    }
    Map<String, SubscriptionStore.Position> positions = new LinkedHashMap<>(stored);
    for (RealChannel c : directory.all()) {
      ChannelCore core = c.core;
      if (!core.options().persistent()) {
        continue;
      }
      if (core.backfilling() && !core.options().manualAcknowledgement()) {
        SubscriptionStore.Position before = lastHanded == null ? null : lastHanded.positions().get(core.name);
        if (!force) {
          return; // its position is about to jump, and its channelSerial is ahead of it: next time
        }
        if (before != null) {
          positions.put(core.name, before);
        }
        continue;
      }
      String[] p = core.position();
      if (p != null) {
        positions.put(core.name, new SubscriptionStore.Position(p[0], p[1]));
      }
    }
    String key = withKey ? recoveryKeys.get().orElse(null) : null;
    Fingerprint what = new Fingerprint(key, positions);
    if (what.equals(lastHanded) && !force && waiting.isEmpty()) {
      return;
    }
    lastHanded = what;
    List<Consumer<ErrorInfo>> with = waiting;
    waiting = new ArrayList<>();
    Instant now = Instant.now();
    SubscriptionStore.State state =
        new SubscriptionStore.State(
            key, key == null ? null : now.plusNanos(connectionStateTtlNanos.getAsLong()), now.plus(expiry), positions);
    try {
      writer.execute(() -> write(state, with));
      inFlight++;
    } catch (RejectedExecutionException e) {
      ErrorInfo gone = ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID, "the client " + clientName + " is closed");
      with.forEach(w -> w.accept(gone));
    }
  }

  /** On the writer thread. */
  private void write(SubscriptionStore.State state, List<Consumer<ErrorInfo>> with) {
    ErrorInfo failure = null;
    try {
      store.save(clientName, state);
    } catch (IOException | RuntimeException e) {
      failure = ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "the subscription store of client " + clientName
          + " could not be written: " + e.getMessage());
      log.log(Level.WARNING, () -> "the subscription store of client " + clientName
          + " could not be written; the next snapshot tries again: " + e.getMessage());
    }
    long at = System.currentTimeMillis();
    ErrorInfo outcome = failure;
    try {
      loop.execute(() -> written(outcome, at, with));
    } catch (RejectedExecutionException e) {
      // the loop is gone: the client is closed; nobody is left to tell on it
    }
  }

  /** A write ended: count it, tell its acknowledgements, and write the ones made meanwhile. On the loop. */
  private void written(ErrorInfo failure, long at, List<Consumer<ErrorInfo>> with) {
    inFlight--;
    if (failure == null) {
      counters.storeWritten(at);
    } else {
      counters.storeFailed();
      lastHanded = null; // the next snapshot writes even if nothing changed
    }
    with.forEach(w -> w.accept(failure));
    if (inFlight == 0 && !waiting.isEmpty()) {
      snapshot(true, true);
    }
    if (closed && inFlight == 0) {
      drained.complete(null);
    }
  }
}
