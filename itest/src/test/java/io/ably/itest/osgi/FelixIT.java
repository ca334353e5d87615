package io.ably.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.itest.AblyTestServer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The Karaf feature's bundles in an embedded Apache Felix with nothing else but Config Admin: every
 * bundle installs, resolves and starts; {@code io.ably.osgi}'s factory service creates clients that
 * connect to the testkit; Config Admin configurations of {@code io.ably.client} create, update and
 * close clients registered as services and MXBeans; messages published from outside the framework
 * reach subscribers and configured channels inside it; no secret reaches a log.
 *
 * <p>The bundles are exactly those of the published feature descriptor, from the build's OSGi
 * repository; fastjson2 is wrapped with bnd and the instructions of the feature's {@code wrap:} URL.
 * The framework sees nothing of the test's class path ({@code felix.bootdelegation.implicit=false}),
 * so the test reaches bundle objects by reflection, through their public interfaces.
 */
class FelixIT {
  private static final long WAIT_SECONDS = 20;
  private static final String SECRET = AblyTestServer.DEFAULT_KEY.substring(AblyTestServer.DEFAULT_KEY.indexOf(':') + 1);

  @TempDir static Path dir;

  private static AblyTestServer server;
  private static Framework felix;
  private static final List<String> logged = new CopyOnWriteArrayList<>();
  private static final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          logged.add(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void startServerAndFelix() throws Exception {
    Logger.getLogger("").addHandler(capture);
    server = AblyTestServer.builder().start();
    FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
    felix =
        factory.newFramework(
            Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                "felix.bootdelegation.implicit", "false"));
    felix.start();
    installFeature();
  }

  @AfterAll
  static void stopFelixAndServer() throws Exception {
    try {
      if (felix != null) {
        felix.stop();
        felix.waitForStop(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(Bundle.RESOLVED, felix.getState(), "Felix did not stop");
        // The engine bundle's shared threads ended with it: none pins the bundle's classes.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
          if (t.getName().startsWith("ably-") && t.getClass().getClassLoader() != FelixIT.class.getClassLoader()) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(t.isAlive(), "a thread of the engine bundle outlived it: " + t);
          }
        }
      }
    } finally {
      Logger.getLogger("").removeHandler(capture);
      if (server != null) {
        server.close();
      }
    }
  }

  /** Installs and starts the feature's bundles and Config Admin. */
  private static void installFeature() throws Exception {
    BundleContext context = felix.getBundleContext();
    Path wrapped = Files.createDirectories(dir.resolve("wrapped"));
    List<Bundle> bundles = new ArrayList<>();
    for (FeatureDescriptor.BundleRef ref : FeatureDescriptor.bundles(FeatureDescriptor.published(), "ably")) {
      Path jar = ref.wrapped() ? FeatureDescriptor.wrap(ref, wrapped) : ref.jar();
      try (InputStream in = Files.newInputStream(jar)) {
        bundles.add(context.installBundle(ref.location(), in));
      }
    }
    bundles.add(context.installBundle(configAdminJar().toUri().toString()));
    for (Bundle bundle : bundles) {
      bundle.start();
    }
  }

  private static BundleContext started() {
    return felix.getBundleContext();
  }

  private static Path configAdminJar() throws Exception {
    String property = System.getProperty("ably.osgi.felix.dir");
    assertNotNull(property, "ably.osgi.felix.dir is not set: run this test through Failsafe");
    try (var files = Files.list(Path.of(property))) {
      return files.filter(p -> p.getFileName().toString().startsWith("org.apache.felix.configadmin"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no Config Admin jar in " + property));
    }
  }

  @Test
  void everyBundleOfTheFeatureResolvesAndStarts() throws Exception {
    BundleContext context = started();
    List<String> names = new ArrayList<>();
    for (Bundle bundle : context.getBundles()) {
      names.add(bundle.getSymbolicName());
      if (bundle.getBundleId() != 0) {
        assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName());
      }
    }
    for (String expected :
        List.of("io.ably.api", "io.ably.wire", "io.ably.engine", "io.ably.jmx", "io.ably.osgi",
            "com.alibaba.fastjson2", "org.msgpack.msgpack-core", "io.netty.codec-http")) {
      assertTrue(names.contains(expected), () -> expected + " not installed: " + names);
    }
    ServiceReference<?>[] engines = context.getAllServiceReferences("io.ably.api.spi.RealtimeClientFactory", null);
    assertNotNull(engines, "the engine's factory is not a service");
    assertEquals(1, engines.length);
    assertEquals("io.ably.engine", engines[0].getBundle().getSymbolicName(), "registered on behalf of the engine");
  }

  @Test
  void theFactoryServiceCreatesAClientThatConnectsReceivesAMessageFromOutsideAndIsClosedWhenReleased() throws Exception {
    BundleContext context = started();
    ServiceReference<?> reference = service(context, "io.ably.osgi.AblyClientFactory");
    Object factory = context.getService(reference);
    Object client =
        Reflect.call(
            factory,
            "create",
            Map.of(
                "name", "felix-programmatic",
                "key", AblyTestServer.DEFAULT_KEY,
                "host", "127.0.0.1",
                "port", server.port(),
                "tls", false));
    assertEquals("felix-programmatic", Reflect.call(client, "name"));
    awaitState(client, "CONNECTED");

    // A message published from outside the framework reaches a subscriber inside it.
    Object channel = Reflect.call(Reflect.call(client, "channels"), "get", "felix-programmatic");
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    Reflect.call(channel, "subscribe", (Consumer<Object>) received::add);
    ((CompletionStage<?>) Reflect.call(channel, "attach")).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    publishFromOutside("felix-programmatic", "greeting", "hello from outside");
    Object message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(message, "no message arrived in Felix");
    assertEquals("greeting", Reflect.call(message, "name"));
    assertEquals("hello from outside", Reflect.call(Reflect.call(message, "data"), "value"));
    assertEquals(1L, Reflect.call(Reflect.call(client, "metrics"), "messagesReceived"));

    assertTrue(context.ungetService(reference), "the test held the service");
    awaitState(client, "CLOSED");
    assertNoSecretLogged();
  }

  @Test
  void typedEventsRoundTripInsideFelixThroughTheEnginesCodecInBothFormats() throws Exception {
    BundleContext context = started();
    ServiceReference<?> reference = service(context, "io.ably.osgi.AblyClientFactory");
    Object factory = context.getService(reference);
    Object client =
        Reflect.call(
            factory,
            "create",
            Map.of(
                "name", "felix-typed",
                "key", AblyTestServer.DEFAULT_KEY,
                "host", "127.0.0.1",
                "port", server.port(),
                "tls", false));
    awaitState(client, "CONNECTED");
    Object channel = Reflect.call(Reflect.call(client, "channels"), "get", "felix-typed");
    ClassLoader api = Reflect.call(channel, "state").getClass().getClassLoader();
    ((CompletionStage<?>) Reflect.call(channel, "attach")).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    for (String format : List.of("JSON", "MSGPACK")) {
      Object typed =
          Reflect.call(channel, "typed", FelixTick.class,
              Reflect.constant(api, "io.ably.api.event.EventFormat", format));
      BlockingQueue<Object> received = new LinkedBlockingQueue<>();
      Object subscription = Reflect.call(typed, "subscribe", (Consumer<Object>) received::add);
      FelixTick tick = new FelixTick("AAPL", new java.math.BigDecimal("187.250"), List.of(format, "x"));
      ((CompletionStage<?>) Reflect.call(typed, "publish", tick)).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(tick, received.poll(WAIT_SECONDS, TimeUnit.SECONDS), "typed round trip in " + format);
      Reflect.call(subscription, "close");
    }
    assertTrue(context.ungetService(reference), "the test held the service");
    awaitState(client, "CLOSED");
  }

  @Test
  void configAdminConfigurationsCreateUpdateAndCloseClientsRegisteredAsServicesAndMxBeansThatTapTheirChannels() throws Exception {
    BundleContext context = started();
    ServiceReference<?> cmReference = service(context, "org.osgi.service.cm.ConfigurationAdmin");
    Object configAdmin = context.getService(cmReference);
    Object configuration = Reflect.call(configAdmin, "getFactoryConfiguration", "io.ably.client", "felix", "?");
    assertEquals("io.ably.client~felix", Reflect.call(configuration, "getPid"));
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put("key", AblyTestServer.DEFAULT_KEY);
    properties.put("host", "127.0.0.1");
    properties.put("port", String.valueOf(server.port()));
    properties.put("tls", "false");
    properties.put("clientId", "desk-1");
    properties.put("channels", "felix-tap");

    // Create: the name comes from the configuration's name.
    Reflect.call(configuration, "update", properties);
    ServiceReference<?> first = awaitClientService(context, "felix", null);
    Object firstClient = context.getService(first);
    awaitState(firstClient, "CONNECTED");
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    ObjectName bean = new ObjectName("io.ably:type=RealtimeClient,name=\"felix\"");
    await("the MXBean", () -> platform.isRegistered(bean));
    assertEquals("CONNECTED", platform.getAttribute(bean, "State"));
    // The configured channel is attached and every message on it is logged (never its payload).
    await("the tap's attach", () -> logged.stream().anyMatch(line -> line.contains("client felix: channel felix-tap attached")));
    publishFromOutside("felix-tap", "tapped", "payload-not-logged");
    await("the tapped message in the log", () -> logged.stream().anyMatch(line -> line.contains("client felix: channel felix-tap: message tapped")));
    assertTrue(logged.stream().noneMatch(line -> line.contains("payload-not-logged")), "a payload was logged");

    // Update: the client is closed and created anew with the new settings.
    properties.put("clientId", "desk-2");
    Reflect.call(configuration, "update", properties);
    ServiceReference<?> second = awaitClientService(context, "felix", first.getProperty(Constants.SERVICE_ID));
    awaitState(firstClient, "CLOSED");
    Object secondClient = context.getService(second);
    awaitState(secondClient, "CONNECTED");
    Object options = Reflect.call(secondClient, "options");
    assertEquals("desk-2", Reflect.call(options, "clientId"));
    await("the new MXBean", () -> platform.isRegistered(bean));

    // Delete: the client is closed, its service and its MXBean are gone.
    Reflect.call(configuration, "delete");
    awaitState(secondClient, "CLOSED");
    await("the service to go", () -> clientServices(context, "felix").isEmpty());
    await("the MXBean to go", () -> !platform.isRegistered(bean));
    context.ungetService(second);
    context.ungetService(first);
    context.ungetService(cmReference);
    assertNoSecretLogged();
  }

  @Test
  void anInvalidConfigurationCreatesNoClientAndClosesTheOneItReplaces() throws Exception {
    BundleContext context = started();
    ServiceReference<?> cmReference = service(context, "org.osgi.service.cm.ConfigurationAdmin");
    Object configAdmin = context.getService(cmReference);
    Object configuration = Reflect.call(configAdmin, "getFactoryConfiguration", "io.ably.client", "broken", "?");
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put("key", AblyTestServer.DEFAULT_KEY);
    properties.put("host", "127.0.0.1");
    properties.put("port", String.valueOf(server.port()));
    properties.put("tls", "false");
    properties.put("jmx", "false");
    Reflect.call(configuration, "update", properties);
    ServiceReference<?> reference = awaitClientService(context, "broken", null);
    Object client = context.getService(reference);
    awaitState(client, "CONNECTED");
    assertFalse(
        ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName("io.ably:type=RealtimeClient,name=\"broken\"")),
        "jmx=false registers no MXBean");

    properties.put("tls", "maybe");
    Reflect.call(configuration, "update", properties);
    awaitState(client, "CLOSED");
    await("the service to go", () -> clientServices(context, "broken").isEmpty());
    await("the reason in the log", () -> logged.stream().anyMatch(line -> line.contains("io.ably.client~broken is no longer valid")));
    Reflect.call(configuration, "delete");
    context.ungetService(reference);
    context.ungetService(cmReference);
    assertNoSecretLogged();
  }

  /** Publishes with a client of the test's own class path, outside the framework. */
  private static void publishFromOutside(String channel, String name, String text) throws Exception {
    ClientOptions options =
        ClientOptions.builder().key(AblyTestServer.DEFAULT_KEY).host("127.0.0.1").port(server.port()).tls(false).build();
    try (RealtimeClient publisher = Ably.realtime(options)) {
      publisher.channels().get(channel).publish(name, text).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static ServiceReference<?> awaitClientService(BundleContext context, String name, Object notServiceId) {
    List<ServiceReference<?>> found = new ArrayList<>();
    await(
        "the RealtimeClient service " + name,
        () -> {
          found.clear();
          for (ServiceReference<?> r : clientServices(context, name)) {
            if (!r.getProperty(Constants.SERVICE_ID).equals(notServiceId)) {
              found.add(r);
            }
          }
          return !found.isEmpty();
        });
    assertEquals(1, found.size(), "one service per configuration");
    return found.get(0);
  }

  /**
   * Returns a service by class name, whatever class loader its interface comes from: the system
   * bundle's own loader is the test class path, where io.ably.api is another copy, so the
   * framework's assignability filter of getServiceReference would hide every Ably service.
   */
  private static ServiceReference<?> service(BundleContext context, String className) throws Exception {
    ServiceReference<?>[] refs = context.getAllServiceReferences(className, null);
    assertNotNull(refs, () -> "no " + className + " service");
    assertEquals(1, refs.length, () -> "services " + className);
    return refs[0];
  }

  private static List<ServiceReference<?>> clientServices(BundleContext context, String name) {
    try {
      ServiceReference<?>[] refs = context.getAllServiceReferences("io.ably.api.RealtimeClient", "(name=" + name + ")");
      return refs == null ? List.of() : List.of(refs);
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void awaitState(Object client, String state) throws Exception {
    Object connection = Reflect.call(client, "connection");
    Object wanted = Reflect.constant(client.getClass().getClassLoader(), "io.ably.api.state.ConnectionState", state);
    CompletionStage<?> stage = (CompletionStage<?>) Reflect.call(connection, "whenState", wanted);
    stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static void assertNoSecretLogged() {
    assertFalse(SECRET.isBlank(), "the test key has a secret");
    assertFalse(logged.isEmpty(), "the log capture saw nothing");
    for (String line : logged) {
      assertFalse(line.contains(SECRET), () -> "a secret was logged: " + line);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
