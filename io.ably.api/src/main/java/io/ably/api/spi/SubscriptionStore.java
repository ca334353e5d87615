package io.ably.api.spi;

import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where a client keeps its persistent subscriptions between runs: the recovery key of its
 * connection (RTN16), the position (last message delivered) of each channel created with {@link
 * io.ably.api.ChannelOptions.Builder#persistent(boolean)}, and when the state expires. Set with
 * {@link io.ably.api.ClientOptions.Builder#subscriptionStore(SubscriptionStore)}; {@link
 * #inDirectory(Path)} is the file-backed default.
 *
 * <p><b>Threads.</b> The client calls {@link #load} and the first {@link #save} (which consumes the
 * recovery key) on the thread that creates it, and later {@link #save} calls on a writer thread of
 * its own, one at a time, never on its event loop. An implementation may block.
 *
 * <p><b>Failures.</b> A {@link #load} that throws (a corrupt or truncated file, for example) is
 * logged as a warning naming the store and the cause, and the client starts as if nothing were
 * stored; it never fails the client. A {@link #save} that throws is logged and retried with the next
 * write.
 *
 * @since 0.3
 */
public interface SubscriptionStore {
  /**
   * The position of one persistent channel: the last message delivered to its subscribers.
   *
   * @param lastId that message's id, or {@code null}
   * @param lastSerial that message's serial, or {@code null}
   */
  record Position(String lastId, String lastSerial) {
    /**
     * Returns the position of a message: its id and serial, to give to {@link
     * io.ably.api.ChannelOptions.Builder#resumeAfter(Position)} in a later run.
     *
     * @param message a message received on the channel, not null
     * @return its position
     * @since 0.4
     */
    public static Position of(Message message) {
      Checks.notNull(message, "message");
      return new Position(message.id(), message.serial());
    }
  }

  /**
   * What a client stored.
   *
   * @param recoveryKey the recovery key of its connection (RTN16g), or {@code null} once used or
   *     when there was none
   * @param recoveryKeyExpiresAt until when the service can still recover that connection (its
   *     connectionStateTtl after the write), or {@code null}
   * @param expiresAt when the whole state stops being worth anything (the channel history's
   *     horizon); past it the state is ignored and deleted
   * @param channels the position of each persistent channel, by channel name
   */
  record State(
      String recoveryKey, Instant recoveryKeyExpiresAt, Instant expiresAt, Map<String, Position> channels) {
    /** Validates and copies. */
    public State {
      if (expiresAt == null) {
        throw new IllegalArgumentException("expiresAt must not be null");
      }
      channels = channels == null ? Map.of() : Map.copyOf(channels);
    }

    /**
     * Returns this state without its recovery key.
     *
     * @return a copy with no recovery key
     */
    public State withoutRecoveryKey() {
      return new State(null, null, expiresAt, channels);
    }
  }

  /**
   * Reads what was stored for a client.
   *
   * @param clientName the client's {@link io.ably.api.ClientOptions#name()}
   * @return the state, or empty if none was stored
   * @throws IOException if it cannot be read, or what was read is corrupt or truncated
   */
  Optional<State> load(String clientName) throws IOException;

  /**
   * Replaces what is stored for a client, atomically: after a crash at any point, {@link #load}
   * returns either the previous state or this one.
   *
   * @param clientName the client's name
   * @param state the state
   * @throws IOException if it cannot be written
   */
  void save(String clientName, State state) throws IOException;

  /**
   * Deletes what is stored for a client; nothing if nothing is.
   *
   * @param clientName the client's name
   * @throws IOException if it cannot be deleted
   */
  void delete(String clientName) throws IOException;

  /**
   * Returns the file-backed store: one small file per client name in {@code directory}, written
   * to a temporary file, forced to disk and renamed over the old one.
   *
   * @param directory the directory, created if missing
   * @return the store
   */
  static SubscriptionStore inDirectory(Path directory) {
    return new FileSubscriptionStore(directory);
  }
}
