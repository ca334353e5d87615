package io.ably.itest.channel;

import io.ably.api.ClientOptions;

/**
 * The Reactive Streams TCK against {@code Channel.messages()} of a client with inline callbacks:
 * every signal runs on the client's event-loop thread.
 */
public class ChannelMessagesInlinePublisherIT extends ChannelMessagesPublisherIT {
  @Override
  protected ClientOptions.Builder callbacks(ClientOptions.Builder options) {
    return options.inlineCallbacks(true);
  }
}
