package io.ably.jmx;

import io.ably.api.Channel;
import io.ably.api.Subscription;
import io.ably.api.state.ChannelStateChange;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardEmitterMBean;

/**
 * One channel's MXBean, registered, and the state listener that sends its notifications. Owned by
 * its {@link ClientRegistration}, which registers and unregisters it under its lock.
 */
final class ChannelRegistration {
  final Channel channel;
  final ObjectName name;
  private final Subscription watch;

  private ChannelRegistration(Channel channel, ObjectName name, Subscription watch) {
    this.channel = channel;
    this.name = name;
    this.watch = watch;
  }

  static ChannelRegistration register(String client, Channel channel, MBeanServer server)
      throws JMException {
    ObjectName name = AblyJmx.channelObjectName(client, channel.name());
    StandardEmitterMBean mbean =
        Emitters.of(
            new ChannelBean(client, channel),
            RealtimeChannelMXBean.class,
            "State changes of the channel");
    AtomicLong sequence = new AtomicLong();
    Subscription watch =
        channel.onStateChange(
            change ->
                mbean.sendNotification(notification(name, sequence.incrementAndGet(), change)));
    try {
      server.registerMBean(mbean, name);
    } catch (JMException | RuntimeException e) {
      watch.close();
      throw e;
    }
    return new ChannelRegistration(channel, name, watch);
  }

  private static AttributeChangeNotification notification(
      ObjectName source, long sequence, ChannelStateChange change) {
    String message =
        "channel "
            + change.previous()
            + " -> "
            + change.current()
            + (change.previous() == change.current() ? " (" + change.event() + ")" : "")
            + (change.reason() == null ? "" : " (" + change.reason() + ")");
    return Emitters.stateChange(
        source, sequence, message, change.previous().name(), change.current().name());
  }

  /** Stops the notifications and unregisters the bean; unregistering twice does nothing. */
  void unregister(MBeanServer server) throws JMException {
    watch.close();
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // already gone
    }
  }
}
