package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.CipherParams;
import io.ably.api.DeriveOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.event.DecodeFailure;
import io.ably.api.event.EventFormat;
import io.ably.api.event.EventName;
import io.ably.api.event.TypedChannel;
import io.ably.api.filter.Field;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.state.ChannelState;
import io.ably.itest.AblyTestServer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Typed events (records) end to end against the testkit, in JSON and MessagePack. */
class TypedEventsIT extends ChannelTestSupport {
  public enum Side { BUY, SELL }

  public record Venue(String mic, List<String> aliases) {}

  @EventName("trade")
  public record Trade(
      String symbol, Side side, BigDecimal price, long qty, Instant at, Venue venue,
      List<Venue> routed) {}

  public record Quote(String symbol, double bid, double ask) {}

  static Trade trade(int i) {
    return new Trade(
        i % 2 == 0 ? "AAPL" : "MSFT", i % 3 == 0 ? Side.BUY : Side.SELL,
        new BigDecimal("187.2" + i + "0"), 100L * i,
        Instant.parse("2026-12-05T08:30:00.123456789Z").plusSeconds(i),
        new Venue("XNAS", List.of("NASDAQ", "Q" + i)),
        List.of(new Venue("BATS", List.of()), new Venue("IEXG", List.of("IEX"))));
  }

  /** {"symbol":"AAPL","qty":"lots"} as JSON data or as MessagePack binary data. */
  private static MessageData notATrade(EventFormat format) {
    if (format == EventFormat.JSON) {
      return MessageData.json("{\"symbol\":\"AAPL\",\"qty\":\"lots\"}");
    }
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(0x82); // a map of two entries, then fixstr keys and values
    for (String s : new String[] {"symbol", "AAPL", "qty", "lots"}) {
      b.write(0xa0 | s.length());
      b.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return MessageData.binary(b.toByteArray());
  }

  private RealtimeClient client(AblyTestServer server, EventFormat format) {
    return client(options(server).useBinaryProtocol(format == EventFormat.MSGPACK).build());
  }

  @ParameterizedTest
  @EnumSource(EventFormat.class)
  void recordsWithNestedRecordsListsEnumsInstantAndBigDecimalRoundTripThroughTheService(
      EventFormat format) throws Exception {
    AblyTestServer server = server();
    RealtimeClient alice = client(server, format);
    RealtimeClient bob = client(server, format);
    Channel in = bob.channels().get("desk");
    TypedChannel<Trade> trades = in.typed(Trade.class, format);
    TypedChannel<Quote> quotes = in.typed(Quote.class, format);
    assertEquals("trade", trades.eventName());
    assertEquals("Quote", quotes.eventName(), "the convention: the simple class name");
    Inbox<Trade> gotTrades = new Inbox<>();
    Inbox<Quote> gotQuotes = new Inbox<>();
    Inbox<DecodeFailure> failures = new Inbox<>();
    trades.subscribe(gotTrades::add);
    trades.onDecodeFailure(failures::add);
    quotes.subscribe(gotQuotes::add);
    await(in.whenState(ChannelState.ATTACHED));

    Channel out = alice.channels().get("desk");
    TypedChannel<Trade> send = out.typed(Trade.class, format);
    await(send.publish(trade(1)));
    await(out.typed(Quote.class, format).publish(new Quote("AAPL", 187.1, 187.3)));
    // A message under the event name that is not a Trade: reported, and the subscription goes on.
    await(out.publish(Message.of("trade", notATrade(format))));
    await(send.publish(trade(2)));

    assertEquals(trade(1), gotTrades.next());
    assertEquals(new Quote("AAPL", 187.1, 187.3), gotQuotes.next());
    DecodeFailure failure = failures.next();
    assertEquals("trade", failure.message().name());
    assertTrue(failure.cause().getMessage().contains("qty"), failure.cause().getMessage());
    assertEquals(trade(2), gotTrades.next());
    assertEquals(0, bob.metrics().listenerErrors());
  }

  @ParameterizedTest
  @EnumSource(EventFormat.class)
  void withoutAFormatTheTypedPayloadFollowsTheClientsProtocol(EventFormat protocol) throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server, protocol);
    Channel channel = client.channels().get("auto");
    Inbox<Message> raw = subscribe(channel);
    Inbox<Quote> typed = new Inbox<>();
    channel.typed(Quote.class).subscribe(typed::add);
    await(channel.whenState(ChannelState.ATTACHED));
    await(channel.typed(Quote.class).publish(new Quote("AAPL", 1.5, 2.25)));
    Class<?> expected = protocol == EventFormat.JSON ? MessageData.Json.class : MessageData.Binary.class;
    MessageData data = raw.next().data();
    assertTrue(expected.isInstance(data), String.valueOf(data));
    assertEquals(new Quote("AAPL", 1.5, 2.25), typed.next());
  }

  @ParameterizedTest
  @EnumSource(EventFormat.class)
  void typedEventsTravelEncryptedAndThroughADerivedChannel(EventFormat format) throws Exception {
    AblyTestServer server = server();
    ChannelOptions encrypted =
        ChannelOptions.builder().cipher(CipherParams.aes(CipherParams.generateKey())).build();
    RealtimeClient alice = client(server, format);
    RealtimeClient bob = client(server, format);
    // Names are all the service can filter on: a derived channel of trades only.
    Channel derived =
        bob.channels().getDerived("secret", DeriveOptions.filter(Field.NAME.eq("trade")), encrypted);
    Inbox<Trade> got = new Inbox<>();
    derived.typed(Trade.class, format).subscribe(got::add);
    await(derived.whenState(ChannelState.ATTACHED));

    Channel out = alice.channels().get("secret", encrypted);
    await(out.typed(Quote.class, format).publish(new Quote("AAPL", 1, 2)));
    await(out.typed(Trade.class, format).publish(trade(3)));
    assertEquals(trade(3), got.next());
    Throwable refused = failure(derived.typed(Trade.class, format).publish(trade(4)));
    assertTrue(refused.getMessage().contains("40010"), refused.getMessage());
  }
}
