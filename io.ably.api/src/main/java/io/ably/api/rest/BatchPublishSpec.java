package io.ably.api.rest;

import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import java.util.List;

/**
 * What one batch publish sends (BSP, RSC22): the same messages to each of several channels.
 * Immutable.
 *
 * @param channels the channel names, at least one
 * @param messages the messages, at least one
 * @since 0.2
 */
public record BatchPublishSpec(List<String> channels, List<Message> messages) {
  /**
   * Checks and copies the lists.
   *
   * @throws io.ably.api.AblyException (40003) if a list is empty or holds {@code null}
   */
  public BatchPublishSpec {
    Checks.notNull(channels, "channels");
    Checks.notNull(messages, "messages");
    Checks.check(!channels.isEmpty(), "a batch publish needs at least one channel");
    Checks.check(!messages.isEmpty(), "a batch publish needs at least one message");
    channels = List.copyOf(channels);
    messages = List.copyOf(messages);
  }
}
