package io.ably.jmx;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers clients and their channels as MXBeans: opt-in, one call per client, undone by closing
 * the returned handle or when the client's connection is CLOSED or FAILED.
 *
 * <pre>{@code
 * try (Subscription jmx = AblyJmx.register(client)) {
 *   // visible in JConsole as io.ably:type=RealtimeClient,name="<client name>"
 *   // and, per channel, io.ably:type=RealtimeChannel,client="<client name>",name="<channel>"
 * }
 * }</pre>
 *
 * <p>Channel beans follow the client's channels: a bean is registered as soon as the channel is
 * created ({@code client.channels().get(name)}) and unregistered when it is released, on the
 * client's callback thread; the channels the client has when it is registered appear at once.
 * Notifications are sent on the client's callback thread too.
 *
 * @since 0.1
 */
public final class AblyJmx {
  private AblyJmx() {}

  /**
   * Returns the object name of a client.
   *
   * @param client the client
   * @return {@code io.ably:type=RealtimeClient,name=<name>}, the name quoted
   */
  public static ObjectName objectName(RealtimeClient client) {
    try {
      return new ObjectName("io.ably:type=RealtimeClient,name=" + ObjectName.quote(client.name()));
    } catch (JMException e) {
      throw new AblyException(
          ErrorInfo.of(
              ErrorCode.INVALID_PARAMETER, "client name unusable in JMX: " + client.name()),
          e);
    }
  }

  /**
   * Returns the object name of a client's channel. Any channel name is usable: it is quoted.
   *
   * @param client the client
   * @param channel the channel's name
   * @return {@code io.ably:type=RealtimeChannel,client=<client name>,name=<channel name>}, both
   *     names quoted
   */
  public static ObjectName objectName(RealtimeClient client, String channel) {
    return channelObjectName(client.name(), channel);
  }

  static ObjectName channelObjectName(String client, String channel) {
    try {
      return new ObjectName(
          "io.ably:type=RealtimeChannel,client="
              + ObjectName.quote(client)
              + ",name="
              + ObjectName.quote(channel));
    } catch (JMException e) {
      throw new AblyException(
          ErrorInfo.of(
              ErrorCode.INVALID_PARAMETER,
              "channel name unusable in JMX: " + channel + " of " + client),
          e);
    }
  }

  /**
   * Registers a client and its channels with the platform MBean server.
   *
   * @param client the client
   * @return a handle that unregisters them
   * @throws AblyException (40003) if a client bean of that name is already registered
   */
  public static Subscription register(RealtimeClient client) {
    return register(client, ManagementFactory.getPlatformMBeanServer());
  }

  /**
   * Registers a client and its channels with an MBean server.
   *
   * @param client the client
   * @param server the MBean server
   * @return a handle that unregisters them; closing it twice does nothing
   * @throws AblyException (40003) if a client bean of that name is already registered
   */
  public static Subscription register(RealtimeClient client, MBeanServer server) {
    return ClientRegistration.open(client, server);
  }
}
