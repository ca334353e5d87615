package io.ably.jmx;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardEmitterMBean;

/**
 * A client registered with an MBean server: its own MXBean, and one MXBean per channel it has.
 *
 * <p>Channel beans follow {@code Channels.onCreated} and {@code onReleased} (on the client's
 * callback thread): a created channel gets its bean (replacing that of a released channel of the
 * same name), a released one loses it; the channels that exist at registration get theirs at once. Everything is unregistered when the handle is closed or the connection becomes
 * CLOSED or FAILED. The lock guards the channel map and {@code closed}; the MBean server calls
 * nothing of ours while we hold it.
 */
final class ClientRegistration implements Subscription {
  private static final System.Logger LOG = System.getLogger(AblyJmx.class.getName());

  private final RealtimeClient client;
  private final MBeanServer server;
  private final ObjectName name;
  private final Object lock = new Object();

  /** Registered channel beans by channel name; guarded by {@link #lock}. */
  private final Map<String, ChannelRegistration> channels = new HashMap<>();

  /** Set once, by {@link #close()}; guarded by {@link #lock}. */
  private boolean closed;

  /** The connection state listener, until closed; guarded by {@link #lock}. */
  private Subscription connectionWatch;

  /** The channel created/released listeners, until closed; guarded by {@link #lock}. */
  private Subscription channelWatch;

  private ClientRegistration(RealtimeClient client, MBeanServer server, ObjectName name) {
    this.client = client;
    this.server = server;
    this.name = name;
  }

  static ClientRegistration open(RealtimeClient client, MBeanServer server) {
    ObjectName name = AblyJmx.objectName(client);
    StandardEmitterMBean mbean =
        Emitters.of(
            new ClientBean(client),
            RealtimeClientMXBean.class,
            "Connection state changes of the client");
    try {
      server.registerMBean(mbean, name);
    } catch (JMException e) {
      throw new AblyException(
          ErrorInfo.of(
              ErrorCode.INVALID_PARAMETER, "cannot register " + name + ": " + e.getMessage()),
          e);
    }
    ClientRegistration registration = new ClientRegistration(client, server, name);
    AtomicLong sequence = new AtomicLong();
    Subscription watch =
        client
            .connection()
            .onStateChange(
                change -> {
                  mbean.sendNotification(notification(name, sequence.incrementAndGet(), change));
                  if (ended(change.current())) {
                    registration.close();
                  }
                });
    if (ended(client.connection().state())) {
      watch.close();
      registration.close();
      return registration;
    }
    Subscription created = client.channels().onCreated(registration::add);
    Subscription released = client.channels().onReleased(registration::remove);
    Subscription channelWatch = () -> {
      created.close();
      released.close();
    };
    for (Channel channel : client.channels()) {
      registration.add(channel); // the channels that exist already
    }
    synchronized (registration.lock) {
      if (registration.closed) {
        // closed by the connection's end meanwhile
        watch.close();
        channelWatch.close();
      } else {
        registration.connectionWatch = watch;
        registration.channelWatch = channelWatch;
      }
    }
    return registration;
  }

  private static boolean ended(ConnectionState state) {
    return state == ConnectionState.CLOSED || state == ConnectionState.FAILED;
  }

  private static AttributeChangeNotification notification(
      ObjectName source, long sequence, ConnectionStateChange change) {
    String message =
        "connection "
            + change.previous()
            + " -> "
            + change.current()
            + (change.reason() == null ? "" : " (" + change.reason() + ")");
    return Emitters.stateChange(
        source, sequence, message, change.previous().name(), change.current().name());
  }

  /** Registers the bean of a channel, unless it has one; replaces a released namesake's. */
  void add(Channel channel) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      ChannelRegistration registered = channels.get(channel.name());
      if (registered != null) {
        if (registered.channel == channel) {
          return;
        }
        channels.remove(channel.name());
        unregister(registered);
      }
      try {
        channels.put(channel.name(), ChannelRegistration.register(client.name(), channel, server));
      } catch (JMException | RuntimeException e) {
        LOG.log(Level.WARNING, "JMX: cannot register channel " + channel.name() + " of " + client.name(), e);
      }
    }
  }

  /** Unregisters the bean of a released channel. */
  void remove(Channel channel) {
    synchronized (lock) {
      ChannelRegistration registered = channels.get(channel.name());
      if (registered != null && registered.channel == channel) {
        channels.remove(channel.name());
        unregister(registered);
      }
    }
  }

  private void unregister(ChannelRegistration registered) {
    try {
      registered.unregister(server);
    } catch (JMException e) {
      LOG.log(Level.WARNING, "JMX: cannot unregister " + registered.name, e);
    }
  }

  /** Unregisters the client's bean and every channel bean; closing twice does nothing. */
  @Override
  public void close() {
    Subscription watch;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (channelWatch != null) {
        channelWatch.close();
        channelWatch = null;
      }
      for (ChannelRegistration registered : channels.values()) {
        unregister(registered);
      }
      channels.clear();
      watch = connectionWatch;
      connectionWatch = null;
    }
    if (watch != null) {
      watch.close();
    }
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // already unregistered
    } catch (JMException e) {
      throw new AblyException(
          ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "cannot unregister " + name), e);
    }
  }
}
