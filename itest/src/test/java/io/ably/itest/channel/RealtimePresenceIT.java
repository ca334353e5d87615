package io.ably.itest.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Channel;
import io.ably.api.RealtimeClient;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.itest.AblyTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Presence end to end against the testkit: enter, update, leave, SYNC in pages, data types (RTP). */
class RealtimePresenceIT extends ChannelTestSupport {

  private static String describe(PresenceMessage m) {
    return m.action() + " " + m.clientId() + " " + m.data();
  }

  /** Members as clientId to data, from a get(). */
  private static Map<String, MessageData> members(Channel ch) throws Exception {
    Map<String, MessageData> out = new TreeMap<>();
    for (PresenceMessage m : await(ch.presence().get())) {
      assertEquals(PresenceAction.PRESENT, m.action());
      out.put(m.clientId(), m.data());
    }
    return out;
  }

  @Test
  void threeClientsEnteringUpdatingAndLeavingAreSeenIdenticallyByAllRtp8Rtp9Rtp10Rtp6() throws Exception {
    AblyTestServer server = server();
    List<String> names = List.of("alice", "bob", "carol");
    List<Channel> channels = new ArrayList<>();
    List<Inbox<PresenceMessage>> inboxes = new ArrayList<>();
    for (String name : names) {
      RealtimeClient c = client(options(server).clientId(name).build());
      Channel ch = c.channels().get("room");
      Inbox<PresenceMessage> inbox = new Inbox<>();
      ch.presence().subscribe(inbox::add); // RTP6d: attaches the channel
      await(ch.whenState(io.ably.api.state.ChannelState.ATTACHED));
      channels.add(ch);
      inboxes.add(inbox);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      await(channels.get(i).presence().enter(MessageData.text("hello from " + names.get(i))));
      expected.add("ENTER " + names.get(i) + " " + MessageData.text("hello from " + names.get(i)));
      for (Inbox<PresenceMessage> inbox : inboxes) {
        assertEquals(expected.get(expected.size() - 1), describe(inbox.next()));
      }
    }
    Map<String, MessageData> afterEnter = members(channels.get(0));
    assertEquals(3, afterEnter.size());
    assertEquals(3, channels.get(1).metrics().presenceMembers());
    for (Channel ch : channels) {
      assertEquals(afterEnter, members(ch), "every client sees the same members");
      assertTrue(ch.presence().syncComplete());
    }
    for (int i = 0; i < 3; i++) {
      await(channels.get(i).presence().update(MessageData.text("busy " + i)));
      for (Inbox<PresenceMessage> inbox : inboxes) {
        assertEquals("UPDATE " + names.get(i) + " " + MessageData.text("busy " + i), describe(inbox.next()));
      }
    }
    Map<String, MessageData> afterUpdate = members(channels.get(2));
    assertEquals(MessageData.text("busy 1"), afterUpdate.get("bob"));
    for (Channel ch : channels) {
      assertEquals(afterUpdate, members(ch));
    }
    for (int i = 0; i < 3; i++) {
      await(channels.get(i).presence().leave(null));
      for (Inbox<PresenceMessage> inbox : inboxes) {
        PresenceMessage leave = inbox.next();
        assertEquals(PresenceAction.LEAVE, leave.action());
        assertEquals(names.get(i), leave.clientId());
        assertEquals(MessageData.text("busy " + i), leave.data(), "RTP10a: leave() keeps the latest data");
      }
    }
    for (Channel ch : channels) {
      assertEquals(Map.of(), members(ch));
      assertEquals(0, ch.metrics().presenceMembers());
      assertEquals(9, ch.metrics().presenceEvents(), "3 ENTER, 3 UPDATE, 3 LEAVE");
    }
    for (Inbox<PresenceMessage> inbox : inboxes) {
      assertNull(inbox.items.poll(), "nothing else arrived");
    }
  }

  @Test
  void presenceDataTextJsonAndBinaryArriveAsSentRtp8e() throws Exception {
    AblyTestServer server = server();
    RealtimeClient watcher = client(server);
    Channel in = watcher.channels().get("data");
    Inbox<PresenceMessage> inbox = new Inbox<>();
    in.presence().subscribe(inbox::add);
    await(in.whenState(io.ably.api.state.ChannelState.ATTACHED));
    Channel out = client(options(server).clientId("dora").build()).channels().get("data");
    List<MessageData> data =
        List.of(
            MessageData.text("plain text"),
            MessageData.json("{\"mood\":\"happy\",\"n\":[1,2]}"),
            MessageData.binary(new byte[] {0, 1, 2, (byte) 0xff}));
    await(out.presence().enter(data.get(0)));
    await(out.presence().update(data.get(1)));
    await(out.presence().update(data.get(2)));
    for (MessageData d : data) {
      assertEquals(d, inbox.next().data());
    }
    assertEquals(Map.of("dora", data.get(2)), members(in));
  }

  @Test
  void presenceDataIsEncryptedWithTheChannelCipherAndDecryptedByAMemberWithTheKeyRtp8e() throws Exception {
    AblyTestServer server = server();
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 7 + 1);
    }
    io.ably.api.ChannelOptions secret =
        io.ably.api.ChannelOptions.builder().cipher(io.ably.api.CipherParams.aes(key)).build();
    Channel in = client(server).channels().get("secret-room", secret);
    Inbox<PresenceMessage> inbox = new Inbox<>();
    in.presence().subscribe(inbox::add);
    Channel plain = client(server).channels().get("secret-room"); // no key: sees the ciphertext
    Inbox<PresenceMessage> raw = new Inbox<>();
    plain.presence().subscribe(raw::add);
    await(in.whenState(io.ably.api.state.ChannelState.ATTACHED));
    await(plain.whenState(io.ably.api.state.ChannelState.ATTACHED));
    Channel out = client(options(server).clientId("eve").build()).channels().get("secret-room", secret);
    await(out.presence().enter(MessageData.text("for your eyes only")));
    assertEquals(MessageData.text("for your eyes only"), inbox.next().data());
    PresenceMessage undecrypted = raw.next();
    assertTrue(undecrypted.encoding() != null && undecrypted.encoding().contains("cipher+aes-256-cbc"),
        "without the key the encoding is left: " + undecrypted.encoding());
  }

  @Test
  void afterAFailedResumeTheClientReentersByItselfAndOthersSeeItEnterOnTheNewConnectionRtp17i() throws Exception {
    AblyTestServer server = server();
    RealtimeClient watcherClient = client(server);
    Channel watcher = watcherClient.channels().get("lobby");
    Inbox<PresenceMessage> seen = new Inbox<>();
    watcher.presence().subscribe(seen::add);
    await(watcher.whenState(io.ably.api.state.ChannelState.ATTACHED));
    RealtimeClient alice = client(options(server).clientId("alice").build());
    Channel ch = alice.channels().get("lobby");
    Inbox<PresenceMessage> own = new Inbox<>();
    ch.presence().subscribe(own::add);
    await(ch.presence().enter(MessageData.text("still here")));
    String oldConnection = alice.connection().id();
    PresenceMessage entered = seen.next();
    assertEquals("ENTER alice " + MessageData.text("still here"), describe(entered));
    assertEquals(oldConnection, entered.connectionId());
    // the own member is known once the service echoes it (RTP17b): wait for alice's own view of it
    assertEquals(oldConnection, own.next().connectionId());

    server.faults().failNextResume();
    assertTrue(server.faults().dropConnection(oldConnection));
    PresenceMessage again = seen.next();
    List<String> between = new ArrayList<>();
    while (again.action() != PresenceAction.ENTER) { // at most the old member's LEAVE first
      between.add(describe(again));
      again = seen.next();
    }
    assertTrue(between.size() <= 1 && between.stream().allMatch(e -> e.startsWith("LEAVE alice")),
        "one LEAVE/ENTER pair at most: " + between);
    assertEquals("alice", again.clientId());
    assertEquals(MessageData.text("still here"), again.data(), "re-entered with its data (RTP17g)");
    String newConnection = alice.connection().id();
    assertEquals(newConnection, again.connectionId());
    assertTrue(!newConnection.equals(oldConnection), "the resume failed: a new connection");
    Map<String, MessageData> members = new TreeMap<>();
    for (PresenceMessage m : await(watcher.presence().get(
        io.ably.api.PresenceGetParams.DEFAULT.connectionId(newConnection)))) {
      members.put(m.clientId(), m.data());
    }
    assertEquals(Map.of("alice", MessageData.text("still here")), members);
  }

  @Test
  void twoThousandMembersAreSyncedInPagesToAClientThatAttachesLaterRtp18() throws Exception {
    AblyTestServer server = server();
    Channel backend = client(server).channels().get("crowd");
    await(backend.attach());
    int n = 2_000;
    for (int from = 0; from < n; from += 200) {
      List<CompletableFuture<Void>> batch = new ArrayList<>();
      for (int i = from; i < from + 200; i++) {
        CompletionStage<Void> s = backend.presence().enterClient("member-" + i, MessageData.text("d" + i));
        batch.add(s.toCompletableFuture());
      }
      await(CompletableFuture.allOf(batch.toArray(new CompletableFuture<?>[0])));
    }
    Channel late = client(server).channels().get("crowd");
    List<PresenceMessage> all = await(late.presence().get()); // attaches, waits for the last page
    assertEquals(n, all.size());
    Map<String, MessageData> byClient = new TreeMap<>();
    for (PresenceMessage m : all) {
      byClient.put(m.clientId(), m.data());
    }
    assertEquals(n, byClient.size());
    assertEquals(MessageData.text("d1234"), byClient.get("member-1234"));
    assertTrue(late.presence().syncComplete());
    List<PresenceMessage> one =
        await(late.presence().get(io.ably.api.PresenceGetParams.DEFAULT.clientId("member-7")));
    assertEquals(List.of("member-7"), one.stream().map(PresenceMessage::clientId).toList(), "RTP11c2");
  }

  @Test
  void presenceHistoryReadsTheStoredEventsOverRestRtp12() throws Exception {
    AblyTestServer server = server();
    RealtimeClient alice = client(options(server).clientId("alice").build());
    Channel room = alice.channels().get("history-room");
    await(room.presence().enter(MessageData.text("in")));
    await(room.presence().update(MessageData.text("busy")));
    await(room.presence().leave(MessageData.text("out")));
    RealtimeClient reader = client(options(server).build());
    List<String> events = new ArrayList<>();
    for (PresenceMessage m : await(reader.channels().get("history-room").presence()
        .history(HistoryParams.defaults().direction(Direction.FORWARDS))).items()) {
      events.add(describe(m));
    }
    assertEquals(List.of(
        "ENTER alice " + MessageData.text("in"),
        "UPDATE alice " + MessageData.text("busy"),
        "LEAVE alice " + MessageData.text("out")), events);
    assertEquals(io.ably.api.state.ChannelState.INITIALIZED, reader.channels().get("history-room").state(),
        "history needs no attachment");
  }

  @Test
  void aSyncTheServiceStartsAgainKeepsTheMembersWithoutSpuriousEventsRtp18() throws Exception {
    AblyTestServer server = server();
    RealtimeClient backend = client(options(server).build());
    Channel room = backend.channels().get("resync-room");
    List<CompletionStage<Void>> entered = new ArrayList<>();
    for (int i = 0; i < 150; i++) { // two SYNC pages
      entered.add(room.presence().enterClient("member-" + i, MessageData.text("m" + i)));
    }
    for (CompletionStage<Void> e : entered) {
      await(e);
    }
    RealtimeClient watcher = client(options(server).build());
    Channel seen = watcher.channels().get("resync-room");
    Inbox<PresenceMessage> events = new Inbox<>();
    seen.presence().subscribe(events::add);
    assertEquals(150, await(seen.presence().get()).size());
    events.items.clear(); // the PRESENT events of the first sync

    server.faults().resyncPresence("resync-room");
    await(room.presence().enterClient("late", MessageData.text("after the re-sync")));
    assertEquals("ENTER late " + MessageData.text("after the re-sync"), describe(events.next()),
        "a re-sync of unchanged members emits nothing: no LEAVE, no second ENTER");
    List<PresenceMessage> members = await(seen.presence().get());
    assertEquals(151, members.size());
    assertTrue(seen.presence().syncComplete());
    assertNull(events.items.poll(), "nothing after the new member");
  }
}
