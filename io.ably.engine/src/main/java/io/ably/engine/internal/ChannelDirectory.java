package io.ably.engine.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The engine's cross-thread boundary for a client's channel objects: user threads look channels
 * up by name and create them without blocking and without a lock. The map is immutable and
 * replaced by compare-and-set, so a lookup is one volatile read and creation is rare.
 *
 * @param <C> the channel type
 */
public final class ChannelDirectory<C> {
  private final AtomicReference<Map<String, C>> channels = new AtomicReference<>(Map.of());

  /**
   * Returns the channel with this name, creating it if there is none; if two threads race, both
   * get the one that won.
   *
   * @param name the name
   * @param create creates a channel; may run and be discarded when another thread wins
   * @return the channel
   */
  public C getOrCreate(String name, Function<String, C> create) {
    C existing = channels.get().get(name);
    if (existing != null) {
      return existing;
    }
    C created = create.apply(name);
    while (true) {
      Map<String, C> now = channels.get();
      C raced = now.get(name);
      if (raced != null) {
        return raced;
      }
      Map<String, C> next = new HashMap<>(now);
      next.put(name, created);
      if (channels.compareAndSet(now, Map.copyOf(next))) {
        return created;
      }
    }
  }

  /**
   * Returns the channel with this name.
   *
   * @param name the name
   * @return the channel, or {@code null}
   */
  public C get(String name) {
    return channels.get().get(name);
  }

  /**
   * Removes the channel if the name still maps to it.
   *
   * @param name the name
   * @param channel the channel to remove
   */
  public void remove(String name, C channel) {
    while (true) {
      Map<String, C> now = channels.get();
      if (now.get(name) != channel) {
        return;
      }
      Map<String, C> next = new HashMap<>(now);
      next.remove(name);
      if (channels.compareAndSet(now, Map.copyOf(next))) {
        return;
      }
    }
  }

  /**
   * Returns the channels now.
   *
   * @return an immutable view
   */
  public Collection<C> all() {
    return channels.get().values();
  }

  /**
   * Returns the number of channels now.
   *
   * @return the count
   */
  public int size() {
    return channels.get().size();
  }
}
