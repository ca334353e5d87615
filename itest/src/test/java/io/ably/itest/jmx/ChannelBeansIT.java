package io.ably.itest.jmx;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.DeriveOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.filter.Filter;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.jmx.AblyJmx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.management.AttributeChangeNotification;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.OpenType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-channel MXBeans in an MBean server of the test's own (not the platform's): registered as
 * channels are created, unregistered as they are released, with the client's registration or when
 * the client closes; open types only; the channel's counters and a notification per state change.
 */
class ChannelBeansIT {
  private static final long WAIT_SECONDS = 10;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private MBeanServer mbeans;
  private AblyTestServer server;

  @BeforeEach
  void start() {
    mbeans = MBeanServerFactory.newMBeanServer();
    server = AblyTestServer.builder().start();
    closeables.add(server);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private RealtimeClient client(String name) throws Exception {
    RealtimeClient client =
        Ably.realtime(
            ClientOptions.builder()
                .name(name)
                .key(server.defaultKey().keyStr())
                .host("127.0.0.1")
                .port(server.port())
                .tls(false)
                .build());
    closeables.add(client);
    await(client.connection().whenState(ConnectionState.CONNECTED));
    return client;
  }

  private Subscription register(RealtimeClient client) {
    Subscription registration = AblyJmx.register(client, mbeans);
    closeables.add(registration);
    return registration;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private Object attr(ObjectName name, String attribute) {
    try {
      return mbeans.getAttribute(name, attribute);
    } catch (JMException e) {
      throw new IllegalStateException(e);
    }
  }

  private Set<ObjectName> channelBeans(RealtimeClient client) throws JMException {
    return mbeans.queryNames(
        new ObjectName(
            "io.ably:type=RealtimeChannel,client=" + ObjectName.quote(client.name()) + ",*"),
        null);
  }

  @Test
  void channelsThatExistWhenTheClientIsRegisteredAppearAtOnceWithTheirNamesQuoted()
      throws Exception {
    RealtimeClient client = client("desk-7.blue");
    String awkward = "prices:eu,desk=7 *?\\\"x\"";
    Channel channel = client.channels().get(awkward);
    register(client);

    ObjectName name = AblyJmx.objectName(client, awkward);
    assertEquals(
        "io.ably:type=RealtimeChannel,client="
            + ObjectName.quote(client.name())
            + ",name="
            + ObjectName.quote(awkward),
        name.toString());
    assertEquals(Set.of(name), channelBeans(client), "registered with the client, no waiting");
    assertEquals(awkward, ObjectName.unquote(name.getKeyProperty("name")));
    assertEquals(awkward, attr(name, "Name"));
    assertEquals(client.name(), attr(name, "Client"));
    assertEquals("INITIALIZED", attr(name, "State"));
    assertNull(attr(name, "ErrorReason"));
    assertArrayEquals(new String[0], (String[]) attr(name, "Modes"));
    assertEquals(0L, attr(name, "MessagesPublished"));
    assertEquals(ChannelState.INITIALIZED, channel.state());
  }

  @Test
  void aDerivedChannelsBeanShowsItsFilterRTS5() throws Exception {
    RealtimeClient client = client("desk-9");
    register(client);
    Filter filter = Filter.parse("name = 'trade' AND headers.qty >= 100");
    Channel derived = client.channels().getDerived("quotes", DeriveOptions.filter(filter));
    Channel plain = client.channels().get("quotes");
    ObjectName derivedName = AblyJmx.objectName(client, derived.name());
    ObjectName plainName = AblyJmx.objectName(client, plain.name());
    await("both channel beans", () -> mbeans.isRegistered(derivedName) && mbeans.isRegistered(plainName));
    assertEquals("name == `\"trade\"` && headers.qty >= `100`", attr(derivedName, "Filter"));
    assertEquals(derived.name(), attr(derivedName, "Name"));
    assertNull(attr(plainName, "Filter"));
  }

  @Test
  void everyAttributeOfBothBeansHasAnOpenTypeAndNoneIsASecret() throws Exception {
    RealtimeClient client = client("open-types");
    client.channels().get("quotes");
    register(client);
    for (ObjectName name :
        List.of(AblyJmx.objectName(client), AblyJmx.objectName(client, "quotes"))) {
      MBeanAttributeInfo[] attributes = mbeans.getMBeanInfo(name).getAttributes();
      assertTrue(attributes.length >= 10, name + ": " + attributes.length + " attributes");
      for (MBeanAttributeInfo attribute : attributes) {
        Object openType = attribute.getDescriptor().getFieldValue("openType");
        assertTrue(openType instanceof OpenType, name + "." + attribute.getName());
        if (attribute.getName().equals("TokenExpires")) {
          // the token's expiry, an instant (issue #15), never the token
          Object expires = attr(name, "TokenExpires");
          assertTrue(expires == null || java.time.Instant.parse((String) expires) != null, String.valueOf(expires));
          continue;
        }
        String lower = attribute.getName().toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("key") || lower.contains("token"), attribute.getName());
      }
    }
  }

  @Test
  void channelCountersStateAndNotificationsFollowTheChannel() throws Exception {
    RealtimeClient client = client("counters");
    register(client);
    Channel channel = client.channels().get("orders");
    ObjectName name = AblyJmx.objectName(client, "orders");
    await("the bean of a new channel", () -> mbeans.isRegistered(name));

    BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
    mbeans.addNotificationListener(name, (n, handback) -> notifications.add(n), null, null);
    mbeans.invoke(name, "attach", new Object[0], new String[0]);
    assertStateChange(notifications.poll(WAIT_SECONDS, SECONDS), "INITIALIZED", "ATTACHING");
    assertStateChange(notifications.poll(WAIT_SECONDS, SECONDS), "ATTACHING", "ATTACHED");
    assertEquals("ATTACHED", attr(name, "State"));
    assertEquals(1L, attr(name, "Attaches"));
    assertTrue(((String[]) attr(name, "Modes")).length > 0, "granted modes");

    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    Subscription subscription = channel.subscribe(received::add);
    try {
      for (int i = 0; i < 3; i++) {
        await(channel.publish("order", "n" + i));
      }
      for (int i = 0; i < 3; i++) {
        assertNotNull(received.poll(WAIT_SECONDS, SECONDS), "message " + i);
      }
    } finally {
      subscription.close();
    }
    assertEquals(3L, attr(name, "MessagesPublished"));
    assertEquals(3L, attr(name, "MessagesAcknowledged"));
    assertEquals(0L, attr(name, "MessagesRefused"));
    assertEquals(3L, attr(name, "MessagesReceived"));
    ObjectName clientName = AblyJmx.objectName(client);
    assertEquals(3L, attr(clientName, "MessagesPublished"));
    assertEquals(3L, attr(clientName, "MessagesAcknowledged"));
    assertEquals(3L, attr(clientName, "MessagesReceived"));
    assertEquals(0L, attr(clientName, "MessagesPending"));
    assertEquals(1, attr(clientName, "Channels"));

    mbeans.invoke(name, "detach", new Object[0], new String[0]);
    assertStateChange(notifications.poll(WAIT_SECONDS, SECONDS), "ATTACHED", "DETACHING");
    assertStateChange(notifications.poll(WAIT_SECONDS, SECONDS), "DETACHING", "DETACHED");
    assertEquals("DETACHED", attr(name, "State"));
  }

  @Test
  void presenceMembersAndEventsShowOnTheChannelBean() throws Exception {
    RealtimeClient client = client("presence");
    register(client);
    Channel channel = client.channels().get("lobby");
    ObjectName name = AblyJmx.objectName(client, "lobby");
    await("the bean of a new channel", () -> mbeans.isRegistered(name));
    BlockingQueue<io.ably.api.message.PresenceMessage> events = new LinkedBlockingQueue<>();
    Subscription subscription = channel.presence().subscribe(events::add);
    try {
      await(channel.presence().enterClient("ann", null));
      await(channel.presence().enterClient("ben", null));
      await(channel.presence().leaveClient("ann", null));
      for (int i = 0; i < 3; i++) {
        assertNotNull(events.poll(WAIT_SECONDS, SECONDS), "presence event " + i);
      }
    } finally {
      subscription.close();
    }
    assertEquals(1L, attr(name, "PresenceMembers"));
    assertEquals(3L, attr(name, "PresenceEvents"));
  }

  private static void assertStateChange(Notification n, String from, String to) {
    assertNotNull(n, "no notification of " + from + " -> " + to);
    AttributeChangeNotification change = (AttributeChangeNotification) n;
    assertEquals(AttributeChangeNotification.ATTRIBUTE_CHANGE, change.getType());
    assertEquals("State", change.getAttributeName());
    assertEquals(from + " -> " + to, change.getOldValue() + " -> " + change.getNewValue());
  }

  @Test
  void aReleasedChannelLosesItsBeanAndANewChannelOfTheSameNameGetsANewOne() throws Exception {
    RealtimeClient client = client("release");
    register(client);
    Channel first = client.channels().get("news");
    await(first.attach());
    ObjectName name = AblyJmx.objectName(client, "news");
    await("the bean", () -> mbeans.isRegistered(name));
    assertEquals("ATTACHED", attr(name, "State"));

    await(client.channels().release("news"));
    await("the unregistration after release", () -> !mbeans.isRegistered(name));

    Channel second = client.channels().get("news");
    assertTrue(second != first);
    await("the bean of the new channel", () -> mbeans.isRegistered(name));
    assertEquals("INITIALIZED", attr(name, "State"), "the bean reads the new channel");
  }

  @Test
  void closingTheRegistrationUnregistersTheClientAndEveryChannel() throws Exception {
    RealtimeClient client = client("closing");
    client.channels().get("a");
    client.channels().get("b");
    Subscription registration = register(client);
    assertEquals(2, channelBeans(client).size());
    assertTrue(mbeans.isRegistered(AblyJmx.objectName(client)));

    registration.close();
    assertEquals(Set.of(), channelBeans(client));
    assertFalse(mbeans.isRegistered(AblyJmx.objectName(client)));
    registration.close(); // twice does nothing

    client.channels().get("c");
    Subscription again = register(client);
    assertEquals(3, channelBeans(client).size(), "a client may be registered again");
    assertThrows(AblyException.class, () -> AblyJmx.register(client, mbeans), "one bean a name");
    again.close();
  }

  @Test
  void closingTheClientUnregistersTheClientAndEveryChannel() throws Exception {
    RealtimeClient client = client("client-closing");
    client.channels().get("a");
    register(client);
    assertEquals(1, channelBeans(client).size());

    client.close();
    await(
        "the unregistration after CLOSED",
        () -> !mbeans.isRegistered(AblyJmx.objectName(client)));
    assertEquals(Set.of(), channelBeans(client));
  }
}
