package io.ably.benchmarks;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The official Java SDK, ably-java 1.5.0, pointed at the testkit as the interop tests do:
 * {@code restHost} and {@code realtimeHost} on loopback, the server's port, no TLS, no environment.
 */
final class AblyJavaSubject implements Subject {
  private final Target target;

  AblyJavaSubject(Target target) {
    this.target = target;
  }

  @Override
  public String key() {
    return "ably-java";
  }

  @Override
  public String title() {
    return "ably-java 1.5.0";
  }

  @Override
  public String threadPrefix() {
    return null;
  }

  @Override
  public CompletableFuture<Endpoint> connect(boolean echo) {
    AblyRealtime client;
    try {
      ClientOptions options = new ClientOptions(target.key());
      options.restHost = target.host();
      options.realtimeHost = target.host();
      options.port = target.port();
      options.tls = false;
      options.environment = null;
      options.useBinaryProtocol = target.binary();
      options.echoMessages = echo;
      options.autoConnect = false;
      options.realtimeRequestTimeout = 30_000;
      client = new AblyRealtime(options);
    } catch (AblyException e) {
      return CompletableFuture.failedFuture(e);
    }
    // ably-java tells listeners about CONNECTED before it re-attaches the channels that are
    // ATTACHING, so an attach made as soon as CONNECTED is heard can race that loop (see the
    // interop tests' SdkClients). A probe channel attached while CONNECTING is the last ATTACH of
    // that loop: once it is attached, the loop is over and the harness's own attaches come after.
    Channel probe = client.channels.get("bench-probe");
    CompletableFuture<Void> probed = new CompletableFuture<>();
    CompletableFuture<Void> up = new CompletableFuture<>();
    ConnectionStateListener listener =
        change -> {
          if (change.event == ConnectionEvent.connecting && probe.state == ChannelState.initialized) {
            try {
              probe.attach(completing(probed));
            } catch (AblyException e) {
              probed.completeExceptionally(e);
            }
          } else if (change.event == ConnectionEvent.connected) {
            up.complete(null);
          } else if (change.event == ConnectionEvent.failed) {
            up.completeExceptionally(AblyException.fromErrorInfo(change.reason));
          }
        };
    client.connection.on(listener);
    client.connection.connect();
    SdkEndpoint endpoint = new SdkEndpoint(client);
    return up.thenCompose(v -> probed)
        .handle(
            (v, e) -> {
              client.connection.off(listener);
              if (e != null) {
                client.close();
                throw new IllegalStateException("ably-java did not connect", e);
              }
              return endpoint;
            });
  }

  @Override
  public void close() {}

  private static CompletionListener completing(CompletableFuture<Void> future) {
    return new CompletionListener() {
      @Override
      public void onSuccess() {
        future.complete(null);
      }

      @Override
      public void onError(ErrorInfo reason) {
        future.completeExceptionally(AblyException.fromErrorInfo(reason));
      }
    };
  }

  /** One ably-java client. */
  private static final class SdkEndpoint implements Endpoint {
    private final AblyRealtime client;

    /** Channels by name, held as a user would hold them (any thread). */
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    SdkEndpoint(AblyRealtime client) {
      this.client = client;
    }

    private Channel channel(String name) {
      return channels.computeIfAbsent(name, n -> client.channels.get(n));
    }

    @Override
    public CompletableFuture<Void> attach(String channel) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      try {
        channel(channel).attach(completing(done));
      } catch (AblyException e) {
        done.completeExceptionally(e);
      }
      return done;
    }

    @Override
    public void subscribe(String channel, Consumer<String> onName) {
      try {
        channel(channel).subscribe(message -> onName.accept(message.name));
      } catch (AblyException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public CompletableFuture<Void> publish(String channel, String name, String text) {
      CompletableFuture<Void> acked = new CompletableFuture<>();
      try {
        channel(channel).publish(name, text, completing(acked));
      } catch (AblyException e) {
        acked.completeExceptionally(e);
      }
      return acked;
    }

    @Override
    public CompletableFuture<Void> ping() {
      CompletableFuture<Void> pong = new CompletableFuture<>();
      client.connection.ping(completing(pong));
      return pong;
    }

    @Override
    public CompletableFuture<Void> close() {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      client.connection.on(
          change -> {
            if (change.current == ConnectionState.closed || change.current == ConnectionState.failed) {
              closed.complete(null);
            }
          });
      ConnectionState state = client.connection.state;
      if (state == ConnectionState.closed || state == ConnectionState.failed) {
        closed.complete(null);
      }
      client.close();
      return closed;
    }
  }
}
