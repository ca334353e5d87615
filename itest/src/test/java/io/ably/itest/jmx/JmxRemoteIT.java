package io.ably.itest.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.jmx.AblyJmx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Arrays;
import java.util.Map;
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
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import org.junit.jupiter.api.Test;

/** A client's MXBean seen as JConsole sees it: through an RMI connector on loopback. */
class JmxRemoteIT {
  /** Binds every RMI server socket to loopback and remembers the last port. */
  private static final class LoopbackSockets implements RMIServerSocketFactory {
    int lastPort;

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
      lastPort = s.getLocalPort();
      return s;
    }
  }

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

  @Test
  void jconsoleSeesLiveAttributesCanPingAndIsToldOfStateChanges() throws Exception {
    System.setProperty("java.rmi.server.hostname", "127.0.0.1");
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    LoopbackSockets sockets = new LoopbackSockets();
    Registry registry = LocateRegistry.createRegistry(0, null, sockets);
    int registryPort = sockets.lastPort;
    JMXServiceURL url =
        new JMXServiceURL("service:jmx:rmi://127.0.0.1:0/jndi/rmi://127.0.0.1:" + registryPort + "/jmxrmi");
    JMXConnectorServer connectorServer =
        JMXConnectorServerFactory.newJMXConnectorServer(
            url, Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets), platform);
    connectorServer.start();
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient client =
            Ably.realtime(ClientOptions.builder().name("jmx-demo").key(server.defaultKey().keyStr())
                .host("127.0.0.1").port(server.port()).tls(false).build());
        JMXConnector jconsole = JMXConnectorFactory.connect(connectorServer.getAddress())) {
      client.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(10, TimeUnit.SECONDS);
      Subscription registration = AblyJmx.register(client, platform);
      ObjectName name = AblyJmx.objectName(client);
      assertEquals("io.ably:type=RealtimeClient,name=\"jmx-demo\"", name.toString());
      MBeanServerConnection remote = jconsole.getMBeanServerConnection();

      assertEquals("CONNECTED", remote.getAttribute(name, "State"));
      assertEquals(client.connection().id(), remote.getAttribute(name, "ConnectionId"));
      assertTrue((Long) remote.getAttribute(name, "FramesReceived") >= 1);
      String[] attributes =
          Arrays.stream(remote.getMBeanInfo(name).getAttributes()).map(a -> a.getName()).toArray(String[]::new);
      assertFalse(Arrays.toString(attributes).toLowerCase(java.util.Locale.ROOT).contains("key"),
          "secrets are never exposed: " + Arrays.toString(attributes));

      remote.invoke(name, "ping", new Object[0], new String[0]);
      await("a ping", () -> (Long) attr(remote, name, "Pings") == 1);
      assertTrue((Double) remote.getAttribute(name, "LastPingRttMillis") > 0);

      BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
      remote.addNotificationListener(name, (n, handback) -> notifications.add(n), null, null);
      server.faults().dropConnections();
      Notification n = notifications.poll(10, TimeUnit.SECONDS);
      assertNotNull(n, "no state-change notification");
      AttributeChangeNotification change = (AttributeChangeNotification) n;
      assertEquals("State", change.getAttributeName());
      assertEquals("CONNECTED", change.getOldValue());
      assertEquals("DISCONNECTED", change.getNewValue());
      await("the resume", () -> "CONNECTED".equals(attr(remote, name, "State")));
      assertEquals(1L, remote.getAttribute(name, "Resumes"));

      remote.invoke(name, "close", new Object[0], new String[0]);
      await("unregistration after CLOSED", () -> {
        try {
          return !remote.isRegistered(name);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      registration.close(); // a second unregistration does nothing
    } finally {
      connectorServer.stop();
      UnicastRemoteObject.unexportObject(registry, true);
    }
  }
}
