package io.ably.jmx;

import io.ably.api.Channel;
import io.ably.api.ChannelMetrics;
import io.ably.api.ChannelMode;
import io.ably.api.DeriveOptions;
import io.ably.api.ErrorInfo;

/** The MXBean over one channel; stateless, reads the channel's snapshot on every call. */
final class ChannelBean implements RealtimeChannelMXBean {
  private final String client;
  private final Channel channel;

  ChannelBean(String client, Channel channel) {
    this.client = client;
    this.channel = channel;
  }

  private ChannelMetrics m() {
    return channel.metrics();
  }

  @Override
  public String getClient() {
    return client;
  }

  @Override
  public String getName() {
    return channel.name();
  }

  @Override
  public String getFilter() {
    return DeriveOptions.filterOf(channel.name());
  }

  @Override
  public String getState() {
    return channel.state().name();
  }

  @Override
  public String getErrorReason() {
    ErrorInfo e = channel.errorReason();
    return e == null ? null : e.toString();
  }

  @Override
  public String[] getModes() {
    return channel.modes().stream().map(ChannelMode::name).sorted().toArray(String[]::new);
  }

  @Override
  public long getMessagesPublished() {
    return m().messagesPublished();
  }

  @Override
  public long getMessagesAcknowledged() {
    return m().messagesAcknowledged();
  }

  @Override
  public long getMessagesRefused() {
    return m().messagesRefused();
  }

  @Override
  public long getMessagesReceived() {
    return m().messagesReceived();
  }

  @Override
  public long getAttaches() {
    return m().attaches();
  }

  @Override
  public long getContinuityLosses() {
    return m().continuityLosses();
  }

  @Override
  public long getListenerErrors() {
    return m().listenerErrors();
  }

  @Override
  public long getPresenceMembers() {
    return m().presenceMembers();
  }

  @Override
  public long getPresenceEvents() {
    return m().presenceEvents();
  }

  @Override
  public long getBackfills() {
    return m().backfills();
  }

  @Override
  public long getMessagesBackfilled() {
    return m().messagesBackfilled();
  }

  @Override
  public long getHolesReported() {
    return m().holesReported();
  }

  @Override
  public void attach() {
    channel.attach();
  }

  @Override
  public void detach() {
    channel.detach();
  }
}
