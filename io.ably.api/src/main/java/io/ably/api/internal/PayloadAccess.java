package io.ably.api.internal;

import io.ably.api.message.MessageData;
import java.lang.invoke.MethodHandles;

/**
 * Zero-copy access to {@link MessageData.Binary} for the codec and engine, which own the arrays they
 * decode and never modify the arrays they encode. Applications cannot reach this package.
 */
public final class PayloadAccess {
  /** The bridge {@code Binary} installs when its class initializes. */
  private static Bridge bridge;

  private PayloadAccess() {}

  /** What {@code Binary} exposes to this package. */
  public interface Bridge {
    /**
     * Returns the backing array, not a copy.
     *
     * @param binary the payload
     * @return its array, which must not be modified
     */
    byte[] array(MessageData.Binary binary);

    /**
     * Wraps an array the caller owns and will not modify again.
     *
     * @param owned the array
     * @return the payload
     */
    MessageData.Binary wrap(byte[] owned);
  }

  /**
   * Called once by {@code Binary}'s static initializer.
   *
   * @param b the bridge
   */
  public static void install(Bridge b) {
    bridge = b;
  }

  private static Bridge bridge() {
    Bridge b = bridge;
    if (b == null) {
      try {
        MethodHandles.lookup().ensureInitialized(MessageData.Binary.class);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      b = bridge;
    }
    return b;
  }

  /**
   * Returns the backing array of a binary payload, not a copy.
   *
   * @param binary the payload
   * @return its array, which must not be modified
   */
  public static byte[] array(MessageData.Binary binary) {
    return bridge().array(binary);
  }

  /**
   * Wraps an array without copying it.
   *
   * @param owned an array the caller owns and will not modify again
   * @return the payload
   */
  public static MessageData.Binary wrap(byte[] owned) {
    return bridge().wrap(owned);
  }
}
