package io.ably.api;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

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
   * Returns the derived channel of a base channel (RTS5): a channel whose subscribers receive only
   * the messages that match the filter, evaluated by the service so the others never reach this
   * client. Its name is {@link DeriveOptions#derivedName(String)}; like {@link #get(String)}, the
   * same object is returned for the same name and filter.
   *
   * <p>A derived channel is subscribe-only: {@link Channel#publish} on it returns a stage that has
   * already failed with 40010. An invalid filter expression fails the attach with the service's
   * error, reported as for any channel (the channel goes FAILED with the error as its reason).
   *
   * @param name the base channel name (a {@code [?params]} prefix is kept, RTS5a2)
   * @param derive the filter
   * @return the derived channel
   * @throws AblyException with code 40010 if the name is empty or has another qualifier
   * @since 0.2
   */
  default Channel getDerived(String name, DeriveOptions derive) {
    return get(java.util.Objects.requireNonNull(derive, "derive").derivedName(name));
  }

  /**
   * Returns the derived channel of a base channel with these channel options (RTS5a, RTS5a2); the
   * options apply to the derived channel as {@link #get(String, ChannelOptions)} applies them.
   *
   * @param name the base channel name
   * @param derive the filter
   * @param options the channel options (params such as {@code rewind} travel with ATTACH)
   * @return the derived channel
   * @throws AblyException as {@link #getDerived(String, DeriveOptions)} and {@link
   *     #get(String, ChannelOptions)}
   * @since 0.2
   */
  default Channel getDerived(String name, DeriveOptions derive, ChannelOptions options) {
    return get(java.util.Objects.requireNonNull(derive, "derive").derivedName(name), options);
  }

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

  /**
   * Registers a listener told of every channel created from now on by {@link #get(String)}, once
   * per channel, after the channel exists.
   *
   * @param listener called on the client's callback thread with the new channel
   * @return a handle that removes the listener
   */
  Subscription onCreated(Consumer<Channel> listener);

  /**
   * Registers a listener told of every channel released from now on (RTS4), once the channel is
   * gone from this registry.
   *
   * @param listener called on the client's callback thread with the released channel
   * @return a handle that removes the listener
   */
  Subscription onReleased(Consumer<Channel> listener);
}
