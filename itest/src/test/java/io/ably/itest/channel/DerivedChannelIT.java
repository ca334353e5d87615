package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.DeriveOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.filter.Filter;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.itest.AblyTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Derived channels (RTS5) end to end against the testkit, which filters with a real JMESPath. */
class DerivedChannelIT extends ChannelTestSupport {
  private static final String[] NAMES = {"trade", "quote", "cancel"};
  private static final String[] SYMBOLS = {"AAPL", "MSFT", "IBM", "GOOG", "AMZN"};
  private static final Filter TRADES =
      Filter.parse(
          "name = 'trade' AND headers.symbol IN ('AAPL','MSFT') AND headers.qty >= 100"
              + " AND NOT headers.test");

  /** A message of a mixed stream: its data is its index; headers vary, sometimes absent. */
  private static Message tick(Random random, int i) {
    String name = NAMES[random.nextInt(NAMES.length)];
    String extras;
    int shape = random.nextInt(10);
    if (shape == 0) {
      extras = null; // no headers at all: filtered against an empty object
    } else {
      extras = "{\"headers\":{\"symbol\":\"" + SYMBOLS[random.nextInt(SYMBOLS.length)]
          + "\",\"qty\":" + random.nextInt(400)
          + (shape < 3 ? ",\"test\":" + (shape == 1) : "") + "}}";
    }
    return Message.builder().name(name).data(MessageData.text("#" + i)).extras(extras).build();
  }

  @Test
  void rts5ASubscriberOfADerivedChannelReceivesExactlyTheMatchingMessagesInOrderAndBytesInProportion()
      throws Exception {
    AblyTestServer server = server();
    RealtimeClient publisher = client(server);
    RealtimeClient filtered = client(server);
    RealtimeClient everything = client(server);

    Channel derived = filtered.channels().getDerived("ticks", DeriveOptions.filter(TRADES));
    assertEquals(DeriveOptions.filter(TRADES).derivedName("ticks"), derived.name());
    Inbox<Message> matching = subscribe(derived);
    Channel full = everything.channels().get("ticks");
    Inbox<Message> all = subscribe(full);
    Inbox<Message> predicate = new Inbox<>(); // RTL22-style: the same filter, on the client
    full.subscribe(TRADES.predicate(), predicate::add);
    await(derived.whenState(ChannelState.ATTACHED));
    await(full.whenState(ChannelState.ATTACHED));

    int total = 10_000;
    Random random = new Random(17);
    List<Message> sent = new ArrayList<>(total);
    List<String> expected = new ArrayList<>();
    Channel out = publisher.channels().get("ticks");
    List<CompletionStage<PublishResult>> acks = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      Message m = tick(random, i);
      sent.add(m);
      if (TRADES.test(m)) {
        expected.add(text(m));
      }
      acks.add(out.publish(m));
    }
    for (CompletionStage<PublishResult> ack : acks) {
      await(ack);
    }
    // Everything reached the unfiltered subscriber, and the filter is selective but not empty.
    List<Message> received = all.next(total);
    assertEquals(text(sent.get(total - 1)), text(received.get(total - 1)));
    assertTrue(expected.size() > 300 && expected.size() < total / 5, "matches: " + expected.size());

    List<String> got = new ArrayList<>();
    for (Message m : matching.next(expected.size())) {
      got.add(text(m));
    }
    assertEquals(expected, got, "the derived channel's messages, in order");
    List<String> local = new ArrayList<>();
    for (Message m : predicate.next(expected.size())) {
      local.add(text(m));
    }
    assertEquals(expected, local, "the client-side predicate selects the same messages");

    // Nothing else arrives: a last matching message is the very next one on the derived channel.
    Message last =
        Message.builder().name("trade").data(MessageData.text("last"))
            .extras("{\"headers\":{\"symbol\":\"AAPL\",\"qty\":100}}").build();
    await(out.publish(last));
    assertEquals("last", text(matching.next()));
    assertNull(matching.items.poll(), "no message beyond the matching ones");

    // Bytes: the filtered client received in proportion to the matches, not to the stream. Each
    // of its messages costs what one costs on the full channel plus the longer channel name (the
    // base64 filter in every MESSAGE) and an explicit message id; nothing else is sent to it.
    long filteredBytes = filtered.metrics().bytesReceived();
    long allBytes = everything.metrics().bytesReceived();
    int matches = expected.size() + 1;
    double perMessageAll = (double) allBytes / (total + 1);
    double perMatch = (double) filteredBytes / matches;
    System.out.printf(
        "derived channel: %d of %d messages matched (%.1f%%); bytes received: filtered %d"
            + " (%.0f per match), unfiltered %d (%.0f per message); derived name %d chars%n",
        matches, total + 1, 100.0 * matches / (total + 1), filteredBytes, perMatch, allBytes,
        perMessageAll, derived.name().length());
    assertTrue(perMatch < perMessageAll + derived.name().length() + 64,
        "bytes per match " + perMatch + " against " + perMessageAll + " per message unfiltered");
    assertTrue(filteredBytes < allBytes / 4, filteredBytes + " of " + allBytes + " bytes");
    assertEquals(expected.size() + 1, filtered.metrics().messagesReceived());
  }

  @Test
  void rts5PublishingToADerivedChannelFailsAtOnceWith40010() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel derived = client.channels().getDerived("c", DeriveOptions.filter("name == 'a'"));
    Throwable refused = failure(derived.publish("a", "x"));
    AblyException e = assertInstanceOf(AblyException.class, refused);
    assertEquals(40010, e.code());
    assertTrue(e.getMessage().contains("subscribe-only"), e.getMessage());
    assertEquals(0, client.metrics().messagesPublished());
  }

  @Test
  void rts5AnInvalidFilterExpressionFailsTheAttachWithTheServicesError() throws Exception {
    AblyTestServer server = server();
    RealtimeClient client = client(server);
    Channel derived = client.channels().getDerived("c", DeriveOptions.filter("name == "));
    Throwable failed = failure(derived.attach());
    AblyException e = assertInstanceOf(AblyException.class, failed);
    assertEquals(40010, e.code());
    assertEquals(ChannelState.FAILED, derived.state());
    assertEquals(40010, derived.errorReason().code());
  }

  @Test
  void rts5a2ARewindOnADerivedChannelReplaysOnlyTheLastMatchingMessages() throws Exception {
    AblyTestServer server = server();
    RealtimeClient publisher = client(server);
    Channel out = publisher.channels().get("r");
    for (int i = 0; i < 6; i++) {
      await(out.publish(i % 2 == 0 ? "even" : "odd", "m" + i));
    }
    RealtimeClient subscriber = client(server);
    Filter odd = Filter.parse("name = 'odd'");
    Channel viaPrefix = subscriber.channels().getDerived("[?rewind=2]r", DeriveOptions.filter(odd));
    assertTrue(viaPrefix.name().startsWith("[filter=") && viaPrefix.name().endsWith("?rewind=2]r"),
        viaPrefix.name());
    Inbox<Message> a = subscribe(viaPrefix);
    assertEquals(List.of("m3", "m5"), texts(a.next(2)));

    RealtimeClient other = client(server);
    Channel viaOptions = other.channels().getDerived(
        "r", DeriveOptions.filter(odd), ChannelOptions.builder().rewind(1).build());
    Inbox<Message> b = subscribe(viaOptions);
    assertEquals(List.of("m5"), texts(b.next(1)));
    ChannelStateChange attached = await(viaOptions.whenState(ChannelState.ATTACHED));
    assertEquals(ChannelState.ATTACHED, attached.current());
  }

  private static List<String> texts(List<Message> messages) {
    List<String> out = new ArrayList<>();
    for (Message m : messages) {
      out.add(text(m));
    }
    return out;
  }
}
