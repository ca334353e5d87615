package io.ably.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.itest.AblyTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Apache Karaf 4.4.10, booted from its distribution (unpacked by the build into {@code
 * target/karaf}, copied here so each run starts clean), installs the {@code ably} feature of this
 * build with its own console in batch mode, exactly as a user types it; a Config Admin file {@code
 * etc/io.ably.client-karaf.cfg} then creates a client that connects to a testkit server started by
 * the test. Everything is proven from outside Karaf: the client's state over Karaf's JMX connector,
 * a message published to its channel by a client outside Karaf in Karaf's log, no secret in the
 * log, and the client's MXBean gone once the file is deleted.
 *
 * <p>Karaf's Maven resolver is pointed at the build's OSGi repository and an empty local
 * repository, with no remote one, so the feature and every bundle come from this build. Karaf is
 * stopped, and its processes are gone, at the end, pass or fail.
 *
 * <p>Runs on Java 17 only: Karaf 4.4.10's start script passes {@code
 * -Djava.security.manager=allow} on newer JDKs, which JDK 24 and later reject; on any other JDK the
 * test is skipped and says so.
 */
class KarafIT {
  private static final long BOOT_SECONDS = 90;
  private static final long WAIT_SECONDS = 30;
  private static final String SECRET = "karaf-s3cret-" + UUID.randomUUID();
  private static final String KEY = "karafapp.key1:" + SECRET;

  @TempDir Path dir;

  @Test
  void theFeatureInstallsAndAConfiguredClientConnectsReceivesAMessageAndClosesWhenItsFileGoes() throws Exception {
    int java = Runtime.version().feature();
    assumeTrue(
        java == 17,
        "Karaf 4.4.10 runs on Java 17 only (its start script sets a Security Manager option that JDK 24+"
            + " rejects); this JVM is Java " + java + ", so the Karaf proof is skipped; FelixIT still runs");
    Path pristine = Path.of(required("ably.karaf.home"));
    assertTrue(Files.isDirectory(pristine.resolve("bin")), () -> pristine + " is not an unpacked Karaf: run mvnw verify");
    Path home = copy(pristine, dir.resolve("karaf"));
    int sshPort = freePort();
    int rmiRegistryPort = freePort();
    int rmiServerPort = freePort();

    try (AblyTestServer server = AblyTestServer.builder().key(KEY).start()) {
      configure(home, sshPort, rmiRegistryPort, rmiServerPort);
      Files.writeString(
          home.resolve("etc/io.ably.client-karaf.cfg"),
          String.join(
              "\n",
              "# name defaults to the file's: karaf",
              "key = " + KEY,
              "host = 127.0.0.1",
              "port = " + server.port(),
              "tls = false",
              "clientId = karaf-desk",
              "jmx = true",
              "channels = karaf-tap",
              ""));

      Process karaf = start(home);
      List<ProcessHandle> processes = new ArrayList<>();
      processes.add(karaf.toHandle());
      try {
        String installed =
            console(
                home, sshPort,
                "feature:repo-add mvn:io.ably/io.ably.osgi/" + FeatureDescriptor.version() + "/xml/features",
                "feature:install ably",
                "bundle:list -s");
        karaf.descendants().forEach(processes::add);
        for (String bundle : List.of("io.ably.api", "io.ably.wire", "io.ably.engine", "io.ably.jmx", "io.ably.osgi")) {
          assertTrue(
              installed.lines().anyMatch(line -> line.contains("Active") && line.contains(bundle)),
              () -> bundle + " is not active:\n" + installed);
        }

        JMXServiceURL url =
            new JMXServiceURL(
                "service:jmx:rmi://127.0.0.1:" + rmiServerPort + "/jndi/rmi://127.0.0.1:" + rmiRegistryPort + "/karaf-root");
        try (JMXConnector jmx = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {"karaf", "karaf"}))) {
          MBeanServerConnection connection = jmx.getMBeanServerConnection();
          ObjectName bean = new ObjectName("io.ably:type=RealtimeClient,name=\"karaf\"");
          await("the client's MXBean", WAIT_SECONDS, () -> registered(connection, bean));
          await("CONNECTED over Karaf's JMX", WAIT_SECONDS, () -> "CONNECTED".equals(attribute(connection, bean, "State")));
          assertNotNull(attribute(connection, bean, "ConnectionId"));

          Path log = home.resolve("data/log/karaf.log");
          await("the channel's attach in karaf.log", WAIT_SECONDS, () -> contains(log, "client karaf: channel karaf-tap attached"));
          String name = "from-outside-" + UUID.randomUUID();
          publishFromOutside(server, "karaf-tap", name, "hello Karaf");
          await("the message in karaf.log", WAIT_SECONDS, () -> contains(log, "client karaf: channel karaf-tap: message " + name));
          assertFalse(contains(log, SECRET), "the key's secret is in karaf.log");

          Files.delete(home.resolve("etc/io.ably.client-karaf.cfg"));
          await("the MXBean to go with the file", WAIT_SECONDS, () -> !registered(connection, bean));
        }
      } finally {
        try {
          stop(home, karaf, processes);
        } finally {
          keepLogs(home);
        }
      }
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    assertNotNull(value, () -> property + " is not set: run this test through Failsafe (mvnw verify)");
    return value;
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  /** Loopback only, the karaf user, free ports, and this build's repository as the only one. */
  private void configure(Path home, int sshPort, int rmiRegistryPort, int rmiServerPort) throws IOException {
    Path etc = home.resolve("etc");
    replace(etc.resolve("users.properties"), "#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup");
    replace(etc.resolve("users.properties"), "#_g_\\:admingroup", "_g_\\:admingroup");
    replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + sshPort);
    replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost = 0.0.0.0", "sshHost = 127.0.0.1");
    // An EC host key: generating the default 2048-bit RSA one takes seconds on a busy machine.
    replace(etc.resolve("org.apache.karaf.shell.cfg"), "# algorithm = RSA", "algorithm = EC");
    replace(etc.resolve("org.apache.karaf.shell.cfg"), "# keySize = 2048", "keySize = 256");
    replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099", "rmiRegistryPort = " + rmiRegistryPort);
    replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort = 44444", "rmiServerPort = " + rmiServerPort);
    Path local = Files.createDirectories(dir.resolve("empty-local-repository"));
    Files.writeString(
        etc.resolve("org.ops4j.pax.url.mvn.cfg"),
        String.join(
            "\n",
            "org.ops4j.pax.url.mvn.useFallbackRepositories=false",
            "org.ops4j.pax.url.mvn.localRepository=" + local,
            "org.ops4j.pax.url.mvn.defaultRepositories=${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                + FeatureDescriptor.repository().toUri() + "@id=ably.build@snapshots",
            "org.ops4j.pax.url.mvn.repositories=",
            ""));
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.contains(from), () -> file + " has no line " + from);
    Files.writeString(file, text.replace(from, to));
  }

  private Process start(Path home) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("karaf-console.log").toFile());
    environment(builder);
    return builder.start();
  }

  private static void environment(ProcessBuilder builder) {
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("EXTRA_JAVA_OPTS", "-Djava.rmi.server.hostname=127.0.0.1");
  }

  /** Runs commands in Karaf's console in batch mode (bin/client -b) and returns what it printed. */
  private String console(Path home, int sshPort, String... commands) throws Exception {
    Path script = Files.writeString(dir.resolve("commands-" + UUID.randomUUID() + ".txt"), String.join("\n", commands) + "\n");
    Path output = dir.resolve("console-" + UUID.randomUUID() + ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(
                home.resolve("bin/client").toString(),
                "-h", "127.0.0.1", "-a", String.valueOf(sshPort), "-u", "karaf", "-p", "karaf",
                "-r", String.valueOf(BOOT_SECONDS), "-d", "1", "-b")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectInput(script.toFile())
            .redirectOutput(output.toFile());
    environment(builder);
    Process client = builder.start();
    try {
      if (!client.waitFor(BOOT_SECONDS + WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new TimeoutException("Karaf's console did not finish: " + Files.readString(output));
      }
    } finally {
      client.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, client.exitValue(), () -> "console failed:\n" + printed);
    assertFalse(printed.contains("Error executing command"), () -> "console failed:\n" + printed);
    return printed;
  }

  /** Stops Karaf the normal way, waits for its process, and kills whatever is left of its tree. */
  private static void stop(Path home, Process karaf, List<ProcessHandle> processes) throws Exception {
    karaf.descendants().forEach(processes::add);
    try {
      ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile());
      environment(builder);
      Process stop = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!stop.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        stop.destroyForcibly();
      }
      karaf.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      for (ProcessHandle process : processes) {
        process.destroyForcibly();
      }
      for (ProcessHandle process : processes) {
        process.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(process.isAlive(), () -> "Karaf process " + process.pid() + " is still alive");
      }
    }
  }

  /** Copies Karaf's logs to target/karaf-it, for a look after a failure (the run directory goes). */
  private void keepLogs(Path home) throws IOException {
    String target = System.getProperty("ably.itest.dir");
    if (target != null) {
      Path kept = Files.createDirectories(Path.of(target, "karaf-it"));
      for (Path log : List.of(home.resolve("data/log/karaf.log"), dir.resolve("karaf-console.log"))) {
        if (Files.exists(log)) {
          Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void publishFromOutside(AblyTestServer server, String channel, String name, String text) throws Exception {
    ClientOptions options = ClientOptions.builder().key(KEY).host("127.0.0.1").port(server.port()).tls(false).build();
    try (RealtimeClient publisher = Ably.realtime(options)) {
      publisher.channels().get(channel).publish(name, text).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static boolean registered(MBeanServerConnection connection, ObjectName name) {
    try {
      return connection.isRegistered(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object attribute(MBeanServerConnection connection, ObjectName name, String attribute) {
    try {
      return connection.getAttribute(name, attribute);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean contains(Path file, String text) {
    try {
      return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void await(String what, long seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
