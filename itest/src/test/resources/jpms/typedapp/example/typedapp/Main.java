package example.typedapp;

import example.events.Trade;
import example.hidden.Secret;
import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.event.EventFormat;
import io.ably.api.event.TypedChannel;
import io.ably.api.state.ChannelState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Publishes a typed event to itself in each format and prints what came back. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    ClientOptions options =
        ClientOptions.builder()
            .key(System.getenv("ABLY_KEY"))
            .host(args[0])
            .port(Integer.parseInt(args[1]))
            .tls(false)
            .build();
    Trade sent =
        new Trade("AAPL", Trade.Side.BUY, new BigDecimal("187.250"), 100,
            Instant.parse("2026-12-05T08:30:00.123456789Z"),
            List.of(new Trade.Leg("XNAS", 60), new Trade.Leg("BATS", 40)));
    try (RealtimeClient client = Ably.realtime(options)) {
      Channel channel = client.channels().get(args[2]);
      for (EventFormat format : EventFormat.values()) {
        TypedChannel<Trade> trades = channel.typed(Trade.class, format);
        CompletableFuture<Trade> got = new CompletableFuture<>();
        Subscription subscription = trades.subscribe(got::complete);
        channel.whenState(ChannelState.ATTACHED).toCompletableFuture().get(30, TimeUnit.SECONDS);
        trades.publish(sent).toCompletableFuture().get(30, TimeUnit.SECONDS);
        Trade back = got.get(30, TimeUnit.SECONDS);
        System.out.println("roundtrip." + format + "=" + back.equals(sent));
        subscription.close();
      }
      try {
        channel.typed(Secret.class).publish(new Secret("x")).toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        System.out.println("hidden.error=none");
      } catch (ExecutionException e) {
        System.out.println("hidden.error=" + e.getCause().getMessage().replace('\n', ' '));
      }
      client.connection().close().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    System.out.println("done=true");
  }
}
