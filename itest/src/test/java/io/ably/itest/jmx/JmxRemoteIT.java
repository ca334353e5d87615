package io.ably.itest.jmx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.message.Message;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.jmx.AblyJmx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** A client's and its channels' MXBeans seen as JConsole sees them: through an RMI connector. */
class JmxRemoteIT {
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private static Object attr(MBeanServerConnection c, ObjectName n, String a) {
    try {
      return c.getAttribute(n, a);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean registered(MBeanServerConnection c, ObjectName n) {
    try {
      return c.isRegistered(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RealtimeClient client(AblyTestServer server, String name) {
    return Ably.realtime(
        ClientOptions.builder()
            .name(name)
            .key(server.defaultKey().keyStr())
            .host("127.0.0.1")
            .port(server.port())
            .tls(false)
            .build());
  }

  private static AttributeChangeNotification stateChange(BlockingQueue<Notification> queue)
      throws InterruptedException {
    Notification n = queue.poll(10, TimeUnit.SECONDS);
    assertNotNull(n, "no state-change notification");
    AttributeChangeNotification change = (AttributeChangeNotification) n;
    assertEquals("State", change.getAttributeName());
    return change;
  }

  @Test
  void jconsoleSeesLiveAttributesCanPingAndIsToldOfStateChanges() throws Exception {
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    try (RemoteJmx jmx = RemoteJmx.publish(platform);
        AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient client = client(server, "jmx-demo")) {
      client.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      Subscription registration = AblyJmx.register(client, platform);
      ObjectName name = AblyJmx.objectName(client);
      assertEquals("io.ably:type=RealtimeClient,name=\"jmx-demo\"", name.toString());
      MBeanServerConnection remote = jmx.connection();

      assertEquals("CONNECTED", remote.getAttribute(name, "State"));
      assertEquals(client.connection().id(), remote.getAttribute(name, "ConnectionId"));
      assertTrue((Long) remote.getAttribute(name, "FramesReceived") >= 1);
      String[] attributes =
          Arrays.stream(remote.getMBeanInfo(name).getAttributes())
              .map(a -> a.getName())
              .toArray(String[]::new);
      assertFalse(
          Arrays.toString(attributes).toLowerCase(Locale.ROOT).contains("key"),
          "secrets are never exposed: " + Arrays.toString(attributes));

      remote.invoke(name, "ping", new Object[0], new String[0]);
      await("a ping", () -> (Long) attr(remote, name, "Pings") == 1);
      assertTrue((Double) remote.getAttribute(name, "LastPingRttMillis") > 0);

      BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
      remote.addNotificationListener(name, (n, handback) -> notifications.add(n), null, null);
      server.faults().dropConnections();
      AttributeChangeNotification change = stateChange(notifications);
      assertEquals("CONNECTED", change.getOldValue());
      assertEquals("DISCONNECTED", change.getNewValue());
      await("the resume", () -> "CONNECTED".equals(attr(remote, name, "State")));
      assertEquals(1L, remote.getAttribute(name, "Resumes"));

      remote.invoke(name, "close", new Object[0], new String[0]);
      await("unregistration after CLOSED", () -> !registered(remote, name));
      registration.close(); // a second unregistration does nothing
    }
  }

  @Test
  void jconsoleSeesEachChannelWithItsCountersAndIsToldOfItsStateChanges() throws Exception {
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    try (RemoteJmx jmx = RemoteJmx.publish(platform);
        AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient client = client(server, "jmx-channels")) {
      Subscription registration = AblyJmx.register(client, platform);
      try {
        seeChannelBeans(jmx.connection(), client, registration);
      } finally {
        registration.close();
      }
    }
  }

  private static void seeChannelBeans(
      MBeanServerConnection remote, RealtimeClient client, Subscription registration)
      throws Exception {
    Channel channel = client.channels().get("prices:eu");
    ObjectName name = AblyJmx.objectName(client, "prices:eu");
    assertEquals(
        "io.ably:type=RealtimeChannel,client=\"jmx-channels\",name=\"prices:eu\"",
        name.toString());
    await("the channel's bean", () -> registered(remote, name));
    assertEquals(
        1,
        remote.queryNames(new ObjectName("io.ably:type=RealtimeChannel,*"), null).stream()
            .filter(n -> "\"jmx-channels\"".equals(n.getKeyProperty("client")))
            .count());
    assertEquals("INITIALIZED", remote.getAttribute(name, "State"));
    assertEquals("jmx-channels", remote.getAttribute(name, "Client"));
    assertEquals("prices:eu", remote.getAttribute(name, "Name"));
    assertNull(remote.getAttribute(name, "ErrorReason"));

    BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
    remote.addNotificationListener(name, (n, handback) -> notifications.add(n), null, null);
    remote.invoke(name, "attach", new Object[0], new String[0]);
    AttributeChangeNotification attaching = stateChange(notifications);
    assertEquals("INITIALIZED", attaching.getOldValue());
    assertEquals("ATTACHING", attaching.getNewValue());
    AttributeChangeNotification attached = stateChange(notifications);
    assertEquals("ATTACHING", attached.getOldValue());
    assertEquals("ATTACHED", attached.getNewValue());
    assertEquals("ATTACHED", remote.getAttribute(name, "State"));
    assertEquals(1L, remote.getAttribute(name, "Attaches"));

    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    Subscription subscription = channel.subscribe(received::add);
    try {
      channel.publish("tick", "101.25").toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertNotNull(received.poll(10, TimeUnit.SECONDS), "the echo of the published message");
    } finally {
      subscription.close();
    }
    assertEquals(1L, remote.getAttribute(name, "MessagesPublished"));
    assertEquals(1L, remote.getAttribute(name, "MessagesAcknowledged"));
    assertEquals(1L, remote.getAttribute(name, "MessagesReceived"));
    assertEquals(0L, remote.getAttribute(name, "MessagesRefused"));
    ObjectName clientName = AblyJmx.objectName(client);
    assertEquals(1L, remote.getAttribute(clientName, "MessagesPublished"));
    assertEquals(1L, remote.getAttribute(clientName, "MessagesReceived"));
    assertEquals(1, remote.getAttribute(clientName, "Channels"));

    remote.invoke(name, "detach", new Object[0], new String[0]);
    assertEquals("DETACHING", stateChange(notifications).getNewValue());
    assertEquals("DETACHED", stateChange(notifications).getNewValue());
    assertArrayEquals(new Object[0], notifications.toArray(), "nothing else was sent");

    client.channels().release("prices:eu").toCompletableFuture().get(10, TimeUnit.SECONDS);
    await("unregistration after release", () -> !registered(remote, name));

    client.channels().get("prices:us");
    ObjectName other = AblyJmx.objectName(client, "prices:us");
    await("the bean of another channel", () -> registered(remote, other));
    registration.close();
    assertFalse(registered(remote, other), "unregistered with the client");
    assertFalse(registered(remote, clientName));
  }
}
