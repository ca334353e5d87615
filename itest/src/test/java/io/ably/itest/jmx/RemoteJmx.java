package io.ably.itest.jmx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * An MBean server published as JConsole finds one: an RMI registry and connector server on
 * ephemeral loopback ports, and a client connected to them through {@link JMXConnectorFactory}.
 * {@link #close()} disconnects and stops both.
 */
final class RemoteJmx implements AutoCloseable {
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

  private final Registry registry;
  private final JMXConnectorServer connectorServer;
  private final JMXConnector jconsole;

  private RemoteJmx(Registry registry, JMXConnectorServer connectorServer, JMXConnector jconsole) {
    this.registry = registry;
    this.connectorServer = connectorServer;
    this.jconsole = jconsole;
  }

  static RemoteJmx publish(MBeanServer mbeans) throws IOException {
    System.setProperty("java.rmi.server.hostname", "127.0.0.1");
    LoopbackSockets sockets = new LoopbackSockets();
    Registry registry = LocateRegistry.createRegistry(0, null, sockets);
    JMXConnectorServer connectorServer = null;
    try {
      JMXServiceURL url =
          new JMXServiceURL(
              "service:jmx:rmi://127.0.0.1:0/jndi/rmi://127.0.0.1:"
                  + sockets.lastPort
                  + "/jmxrmi");
      connectorServer =
          JMXConnectorServerFactory.newJMXConnectorServer(
              url, Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets), mbeans);
      connectorServer.start();
      JMXConnector jconsole = JMXConnectorFactory.connect(connectorServer.getAddress());
      return new RemoteJmx(registry, connectorServer, jconsole);
    } catch (IOException | RuntimeException e) {
      if (connectorServer != null) {
        connectorServer.stop();
      }
      UnicastRemoteObject.unexportObject(registry, true);
      throw e;
    }
  }

  /** The connection JConsole would have. */
  MBeanServerConnection connection() throws IOException {
    return jconsole.getMBeanServerConnection();
  }

  @Override
  public void close() throws IOException {
    try {
      jconsole.close();
    } finally {
      try {
        connectorServer.stop();
      } finally {
        try {
          UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
          // already unexported
        }
      }
    }
  }
}
