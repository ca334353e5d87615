package io.ably.engine.internal;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * One client's log: {@link System.Logger} messages prefixed with the client's name and filtered by
 * the client's {@code logLevel} before they reach the platform logger. Immutable; any thread.
 */
public final class ClientLog {
  private static final System.Logger LOGGER = System.getLogger("io.ably");

  private final String prefix;
  private final Level threshold;

  /**
   * Creates the log of one client.
   *
   * @param clientName the client's name
   * @param threshold the least severe level written
   */
  public ClientLog(String clientName, Level threshold) {
    this.prefix = clientName + ": ";
    this.threshold = threshold;
  }

  /**
   * Tells whether a level is written.
   *
   * @param level the level
   * @return {@code true} if at or above the client's level and enabled in the platform logger
   */
  public boolean enabled(Level level) {
    return level.getSeverity() >= threshold.getSeverity() && LOGGER.isLoggable(level);
  }

  /**
   * Writes a message.
   *
   * @param level the level
   * @param message the message, built only when written
   */
  public void log(Level level, Supplier<String> message) {
    if (enabled(level)) {
      LOGGER.log(level, prefix + message.get());
    }
  }

  /**
   * Writes a message with a throwable.
   *
   * @param level the level
   * @param message the message, built only when written
   * @param thrown the throwable
   */
  public void log(Level level, Supplier<String> message, Throwable thrown) {
    if (enabled(level)) {
      LOGGER.log(level, prefix + message.get(), thrown);
    }
  }
}
