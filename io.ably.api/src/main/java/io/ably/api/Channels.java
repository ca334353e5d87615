package io.ably.api;

import java.util.concurrent.CompletionStage;

/**
 * The channels of one client (RTS1–RTS4). Thread-safe: any thread may get, iterate and release
 * channels. Iteration sees the channels that existed when it started.
 *
 * @since 0.1
 */
public interface Channels extends Iterable<Channel> {

  /**
   * Returns the channel with this name, creating it with default options if it does not exist
   * (RTS3a). Creating a channel sends nothing; it attaches on {@link Channel#attach()} or the
   * first {@link Channel#subscribe}.
   *
   * @param name the channel name, not empty
   * @return the channel
   * @throws AblyException with code 40010 if the name is empty
   */
  Channel get(String name);

  /**
   * Returns the channel with this name, creating it with these options if it does not exist
   * (RTS3b). For an existing channel the options replace its own unless they change params or
   * modes while it is attached or attaching, which needs a new attach (RTS3c1).
   *
   * @param name the channel name, not empty
   * @param options the options
   * @return the channel
   * @throws AblyException with code 40010 if the name is empty, or 40000 if the options would
   *     change the attachment of an attached or attaching channel
   */
  Channel get(String name, ChannelOptions options);

  /**
   * Returns whether a channel with this name exists (RTS2).
   *
   * @param name the channel name
   * @return {@code true} if {@link #get(String)} would return an existing channel
   */
  boolean exists(String name);

  /**
   * Detaches the channel if it is attached, then removes it (RTS4a): its listeners are dropped, and
   * a later {@link #get(String)} creates a new channel. Releasing a channel that does not exist
   * completes at once.
   *
   * @param name the channel name
   * @return a stage completed on the client's callback thread once the channel is removed
   */
  CompletionStage<Void> release(String name);
}
