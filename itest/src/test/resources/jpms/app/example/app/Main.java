package example.app;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ConnectionState;
import java.lang.reflect.InaccessibleObjectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Connects to the Ably service (or a local testkit) from the module path and reports what it sees,
 * one {@code key=value} line per fact, for the test that runs it.
 *
 * <p>Arguments: host, port, channel; the key is read from the environment variable {@code
 * ABLY_KEY}. On the channel it publishes a message named {@code from-app}, then waits for one named
 * {@code from-test}.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the application.
   *
   * @param args host, port and channel name
   * @throws Exception if anything goes wrong, which the test sees as a non-zero exit
   */
  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String channelName = args[2];
    say("class.path", System.getProperty("java.class.path", ""));
    say("app.module", Main.class.getModule().getName());
    say(
        "boot.layer",
        ModuleLayer.boot().modules().stream()
            .map(Module::getName)
            .filter(name -> !name.startsWith("java.") && !name.startsWith("jdk."))
            .sorted()
            .collect(Collectors.joining(",")));
    ClientOptions options =
        ClientOptions.builder()
            .name("jpms-app")
            .key(System.getenv("ABLY_KEY"))
            .host(host)
            .port(port)
            .tls(false)
            .build();
    RealtimeClient client;
    try {
      client = Ably.realtime(options);
    } catch (AblyException e) {
      say("error", e.errorInfo().toString());
      System.exit(3);
      return;
    }
    try (client) {
      Module engine = client.getClass().getModule();
      say("engine.module", String.valueOf(engine.getName()));
      say("engine.exports", String.valueOf(engine.getDescriptor().exports().size()));
      say("app.reads.engine", String.valueOf(Main.class.getModule().canRead(engine)));
      try {
        client.getClass().getDeclaredConstructors()[0].setAccessible(true);
        say("engine.encapsulated", "false");
      } catch (InaccessibleObjectException e) {
        say("engine.encapsulated", "true");
      }
      client.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      say("state", client.connection().state().name());
      say("connection.id", client.connection().id());

      Channel channel = client.channels().get(channelName);
      CompletableFuture<Message> fromTest = new CompletableFuture<>();
      Subscription subscription =
          channel.subscribe(
              message -> {
                if ("from-test".equals(message.name())) {
                  fromTest.complete(message);
                }
              });
      channel.attach().toCompletableFuture().get(10, TimeUnit.SECONDS);
      say("attached", channel.state().name());
      PublishResult published =
          channel.publish("from-app", "hello from a module").toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      say("published.serial", published.serials().get(0));
      Message received = fromTest.get(30, TimeUnit.SECONDS);
      String text =
          received.data() instanceof MessageData.Text t
              ? t.value()
              : String.valueOf(received.data());
      say("received", received.name() + ":" + text);
      subscription.close();
      say("channel.received", String.valueOf(channel.metrics().messagesReceived()));
      client.connection().close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      say("closed", client.connection().state().name());
    }
  }

  private static void say(String key, String value) {
    System.out.println(key + "=" + value);
    System.out.flush();
  }
}
