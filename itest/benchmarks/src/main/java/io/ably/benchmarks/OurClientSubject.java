package io.ably.benchmarks;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.state.ConnectionState;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This client, through its public API only, with its callbacks either on the default per-client
 * callback executor or inline on the event-loop thread ({@code inlineCallbacks(true)}).
 */
final class OurClientSubject implements Subject {
  private final Target target;
  private final boolean inline;

  /**
   * A subject.
   *
   * @param target the server and format
   * @param inline whether callbacks run on the event loop
   */
  OurClientSubject(Target target, boolean inline) {
    this.target = target;
    this.inline = inline;
  }

  @Override
  public String key() {
    return inline ? "ours-inline" : "ours-default";
  }

  @Override
  public String title() {
    return inline ? "this client, inline callbacks" : "this client, callback executor";
  }

  @Override
  public String threadPrefix() {
    return "ably-";
  }

  @Override
  public CompletableFuture<Endpoint> connect(boolean echo) {
    RealtimeClient client;
    try {
      client =
          Ably.realtime(
              ClientOptions.builder()
                  .key(target.key())
                  .host(target.host())
                  .port(target.port())
                  .tls(false)
                  .useBinaryProtocol(target.binary())
                  .echoMessages(echo)
                  .inlineCallbacks(inline)
                  .build());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client
        .connection()
        .whenState(ConnectionState.CONNECTED)
        .toCompletableFuture()
        .handle(
            (change, e) -> {
              if (e != null) {
                client.close();
                throw new IllegalStateException("did not connect", e);
              }
              return new OurEndpoint(client);
            });
  }

  @Override
  public void close() {}

  /** One client of ours. */
  private static final class OurEndpoint implements Endpoint {
    private final RealtimeClient client;

    /** Channels by name, held as a user would hold them (any thread). */
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    OurEndpoint(RealtimeClient client) {
      this.client = client;
    }

    private Channel channel(String name) {
      return channels.computeIfAbsent(name, n -> client.channels().get(n));
    }

    @Override
    public CompletableFuture<Void> attach(String channel) {
      return channel(channel).attach().toCompletableFuture();
    }

    @Override
    public void subscribe(String channel, Consumer<String> onName) {
      // The handle is not kept: the subscription lasts as long as the client.
      var unused = channel(channel).subscribe(message -> onName.accept(message.name()));
    }

    @Override
    public CompletableFuture<Void> publish(String channel, String name, String text) {
      return channel(channel).publish(name, text).toCompletableFuture().thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> ping() {
      return client.connection().ping().toCompletableFuture().thenApply(rtt -> null);
    }

    @Override
    public CompletableFuture<Void> close() {
      return client.connection().close().toCompletableFuture();
    }
  }
}
