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
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
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
 * <p>Each time the client creates or releases a channel ({@code Channels.onCreated} and {@code
 * onReleased}, on the client's callback thread) a sweep compares the client's channels with the
 * registered beans: it registers the new ones, and unregisters those released (or replaced by a new
 * channel of the same name). Everything is unregistered when the handle is closed or the connection becomes
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

  /** Channels whose bean could not be registered, not tried again; guarded by {@link #lock}. */
  private final Set<Channel> refused = Collections.newSetFromMap(new IdentityHashMap<>());

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
    Subscription created = client.channels().onCreated(channel -> registration.sweepLogged());
    Subscription released = client.channels().onReleased(channel -> registration.sweepLogged());
    Subscription channelWatch = () -> {
      created.close();
      released.close();
    };
    registration.sweep(); // the channels that exist already
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

  private void sweepLogged() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "JMX: cannot update the channel beans of " + name, e);
    }
  }

  /** Registers the beans of new channels and unregisters those of released ones. */
  void sweep() {
    Map<String, Channel> now = new HashMap<>();
    for (Channel channel : client.channels()) {
      now.put(channel.name(), channel);
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (Iterator<ChannelRegistration> it = channels.values().iterator(); it.hasNext(); ) {
        ChannelRegistration registered = it.next();
        if (now.get(registered.channel.name()) != registered.channel) {
          it.remove();
          unregister(registered);
        }
      }
      refused.removeIf(channel -> now.get(channel.name()) != channel);
      for (Channel channel : now.values()) {
        if (channels.containsKey(channel.name()) || refused.contains(channel)) {
          continue;
        }
        try {
          channels.put(
              channel.name(), ChannelRegistration.register(client.name(), channel, server));
        } catch (JMException | RuntimeException e) {
          refused.add(channel);
          LOG.log(
              Level.WARNING,
              "JMX: cannot register channel " + channel.name() + " of " + client.name(),
              e);
        }
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
      refused.clear();
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
