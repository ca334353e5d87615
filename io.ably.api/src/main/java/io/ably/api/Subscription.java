package io.ably.api;

/**
 * A registered listener; closing it stops further calls. Closing twice does nothing. After
 * {@link #close()} returns, no new call to the listener starts, though one already running on
 * another thread may finish.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Unregisters the listener. */
  @Override
  void close();
}
