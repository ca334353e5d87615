package io.ably.jmx;

import io.ably.api.AblyException;
import io.ably.api.ClientMetrics;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.StandardEmitterMBean;

/**
 * Registers clients as MXBeans: opt-in, one call per client, undone by closing the returned
 * handle or when the client's connection is CLOSED or FAILED.
 *
 * <pre>{@code
 * try (Subscription jmx = AblyJmx.register(client)) {
 *   // visible in JConsole as io.ably:type=RealtimeClient,name=<client name>
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class AblyJmx {
  private AblyJmx() {}

  /**
   * Returns the object name of a client.
   *
   * @param client the client
   * @return {@code io.ably:type=RealtimeClient,name=<name>}
   */
  public static ObjectName objectName(RealtimeClient client) {
    try {
      return new ObjectName("io.ably:type=RealtimeClient,name=" + ObjectName.quote(client.name()));
    } catch (JMException e) {
      throw new AblyException(ErrorInfo.of(ErrorCode.INVALID_PARAMETER, "client name unusable in JMX: " + client.name()), e);
    }
  }

  /**
   * Registers a client with the platform MBean server.
   *
   * @param client the client
   * @return a handle that unregisters it
   * @throws AblyException (40003) if a bean of that name is already registered
   */
  public static Subscription register(RealtimeClient client) {
    return register(client, ManagementFactory.getPlatformMBeanServer());
  }

  /**
   * Registers a client with an MBean server.
   *
   * @param client the client
   * @param server the MBean server
   * @return a handle that unregisters it; closing it twice does nothing
   * @throws AblyException (40003) if a bean of that name is already registered
   */
  public static Subscription register(RealtimeClient client, MBeanServer server) {
    ObjectName name = objectName(client);
    ClientBean bean = new ClientBean(client);
    MBeanNotificationInfo info =
        new MBeanNotificationInfo(
            new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
            AttributeChangeNotification.class.getName(),
            "Connection state changes of the client");
    NotificationBroadcasterSupport broadcaster = new NotificationBroadcasterSupport(info);
    StandardEmitterMBean mbean =
        new StandardEmitterMBean(bean, RealtimeClientMXBean.class, true, broadcaster);
    try {
      server.registerMBean(mbean, name);
    } catch (JMException e) {
      throw new AblyException(ErrorInfo.of(ErrorCode.INVALID_PARAMETER, "cannot register " + name + ": " + e.getMessage()), e);
    }
    AtomicLong sequence = new AtomicLong();
    Subscription[] watch = new Subscription[1];
    Subscription handle =
        () -> {
          if (watch[0] != null) {
            watch[0].close();
          }
          try {
            server.unregisterMBean(name);
          } catch (InstanceNotFoundException e) {
            // already unregistered: closing twice does nothing
          } catch (JMException e) {
            throw new AblyException(ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "cannot unregister " + name), e);
          }
        };
    watch[0] =
        client.connection().onStateChange(
            change -> {
              mbean.sendNotification(notification(name, sequence.incrementAndGet(), change));
              if (change.current() == ConnectionState.CLOSED || change.current() == ConnectionState.FAILED) {
                handle.close();
              }
            });
    return handle;
  }

  private static AttributeChangeNotification notification(
      ObjectName source, long sequence, ConnectionStateChange change) {
    return new AttributeChangeNotification(
        source, sequence, System.currentTimeMillis(),
        "connection " + change.previous() + " -> " + change.current()
            + (change.reason() == null ? "" : " (" + change.reason() + ")"),
        "State", String.class.getName(), change.previous().name(), change.current().name());
  }

  /** The MXBean over one client; stateless, reads the client's snapshot on every call. */
  private static final class ClientBean implements RealtimeClientMXBean {
    private final RealtimeClient client;

    ClientBean(RealtimeClient client) {
      this.client = client;
    }

    private ClientMetrics m() {
      return client.metrics();
    }

    private static double millis(Duration d) {
      return d == null ? -1 : d.toNanos() / 1e6;
    }

    @Override
    public String getName() {
      return client.name();
    }

    @Override
    public String getState() {
      return client.connection().state().name();
    }

    @Override
    public String getConnectionId() {
      return client.connection().id();
    }

    @Override
    public String getErrorReason() {
      ErrorInfo e = client.connection().errorReason();
      return e == null ? null : e.toString();
    }

    @Override
    public double getLastPingRttMillis() {
      return millis(m().lastPingRtt());
    }

    @Override
    public double getPingRttP50Millis() {
      return millis(m().pingRttP50());
    }

    @Override
    public double getPingRttP99Millis() {
      return millis(m().pingRttP99());
    }

    @Override
    public long getPings() {
      return m().pings();
    }

    @Override
    public long getFramesSent() {
      return m().framesSent();
    }

    @Override
    public long getFramesReceived() {
      return m().framesReceived();
    }

    @Override
    public long getBytesSent() {
      return m().bytesSent();
    }

    @Override
    public long getBytesReceived() {
      return m().bytesReceived();
    }

    @Override
    public long getReconnects() {
      return m().reconnects();
    }

    @Override
    public long getResumes() {
      return m().resumes();
    }

    @Override
    public long getFailedResumes() {
      return m().failedResumes();
    }

    @Override
    public long getListenerErrors() {
      return m().listenerErrors();
    }

    @Override
    public void connect() {
      client.connection().connect();
    }

    @Override
    public void close() {
      client.connection().close();
    }

    @Override
    public void ping() {
      client.connection().ping();
    }
  }
}
