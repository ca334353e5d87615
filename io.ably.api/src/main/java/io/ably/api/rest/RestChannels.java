package io.ably.api.rest;

import io.ably.api.ChannelOptions;

/**
 * The REST channels of a client (RSN). A REST channel holds no connection state, so getting one is
 * cheap. Thread-safe.
 *
 * @since 0.2
 */
public interface RestChannels {
  /**
   * Returns a channel with default options.
   *
   * @param name the channel name
   * @return the channel
   * @throws io.ably.api.AblyException (40003) if the name is {@code null} or empty
   */
  RestChannel get(String name);

  /**
   * Returns a channel with options (its cipher).
   *
   * @param name the channel name
   * @param options the options
   * @return the channel
   * @throws io.ably.api.AblyException (40003) if the name is {@code null} or empty
   */
  RestChannel get(String name, ChannelOptions options);
}
