package io.ably.engine.internal;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;

/**
 * One of the engine's declared cross-thread boundaries (each is named in ArchitectureTest): the
 * event loop publishes an immutable snapshot after every transition; user threads, JMX and getters
 * read it without blocking. Single writer (the client's loop), many readers.
 */
public final class PublishedState {
  /**
   * What a reader sees.
   *
   * @param state the connection state
   * @param connectionId the connection id, or {@code null}
   * @param connectionKey the connection key, or {@code null}
   * @param errorReason the latest error, or {@code null}
   * @param recoverableConnectionKey the connection key a recovery key would carry, or
   *     {@code null} when none can be made (RTN16g2)
   */
  public record Snapshot(
      ConnectionState state,
      String connectionId,
      String connectionKey,
      ErrorInfo errorReason,
      String recoverableConnectionKey) {}

  /** The latest snapshot; written by the loop only. */
  private volatile Snapshot snapshot =
      new Snapshot(ConnectionState.INITIALIZED, null, null, null, null);

  /** The next msgSerial: slot 0, written on every publish with a release store, no full fence. */
  private final CounterSlots msgSerial = new CounterSlots(1);

  /**
   * Records the msgSerial the next publish gets, for recovery keys (RTN16g). Event loop only.
   *
   * @param next the serial
   */
  public void msgSerial(long next) {
    msgSerial.set(0, next);
  }

  /**
   * Returns the msgSerial the next publish gets. Any thread.
   *
   * @return the serial
   */
  public long msgSerial() {
    return msgSerial.get(0);
  }

  /**
   * Publishes a new snapshot. Event loop only.
   *
   * @param next the snapshot
   */
  public void publish(Snapshot next) {
    snapshot = next;
  }

  /**
   * Reads the latest snapshot. Any thread.
   *
   * @return the snapshot
   */
  public Snapshot get() {
    return snapshot;
  }
}
