package io.ably.engine.internal.presence;

import static io.ably.api.message.PresenceAction.ENTER;
import static io.ably.api.message.PresenceAction.LEAVE;
import static io.ably.api.message.PresenceAction.PRESENT;
import static io.ably.api.message.PresenceAction.UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceMapTest {
  private static PresenceMessage msg(
      PresenceAction action, String clientId, String conn, String id, long ts, String data) {
    return new PresenceMessage(
        id, action, clientId, conn, data == null ? null : new MessageData.Text(data), null, null, ts);
  }

  private static List<String> summary(List<PresenceMessage> events) {
    return events.stream().map(m -> m.action() + " " + m.memberKey()).toList();
  }

  @Test
  void enterUpdateLeaveOutsideSyncEmitEachAndLeaveDeletesTheMemberRtp2d2h1() {
    PresenceMap map = new PresenceMap();
    assertEquals(List.of("ENTER c1:alice"), summary(map.onPresence(List.of(msg(ENTER, "alice", "c1", "c1:1:0", 10, "a")))));
    assertEquals(List.of("UPDATE c1:alice"), summary(map.onPresence(List.of(msg(UPDATE, "alice", "c1", "c1:2:0", 11, "b")))));
    assertEquals(PRESENT, map.members().get(0).action());
    assertEquals(new MessageData.Text("b"), map.members().get(0).data());
    assertEquals(List.of("LEAVE c1:alice"), summary(map.onPresence(List.of(msg(LEAVE, "alice", "c1", "c1:3:0", 12, null)))));
    assertEquals(0, map.size());
  }

  @Test
  void aStaleMessageByMsgSerialThenIndexIsDiscardedRtp2b2() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "alice", "c1", "c1:5:1", 100, "new")));
    // a smaller msgSerial loses although its timestamp is later
    assertEquals(List.of(), map.onPresence(List.of(msg(UPDATE, "alice", "c1", "c1:4:9", 999, "old"))));
    // same msgSerial, smaller index loses; same id loses
    assertEquals(List.of(), map.onPresence(List.of(msg(UPDATE, "alice", "c1", "c1:5:0", 999, "old"))));
    assertEquals(List.of(), map.onPresence(List.of(msg(UPDATE, "alice", "c1", "c1:5:1", 999, "old"))));
    // numeric, not lexical: 10 > 9
    map.onPresence(List.of(msg(UPDATE, "alice", "c1", "c1:9:0", 1, "nine")));
    assertEquals(1, map.onPresence(List.of(msg(UPDATE, "alice", "c1", "c1:10:0", 1, "ten"))).size());
    assertEquals(new MessageData.Text("ten"), map.members().get(0).data());
  }

  @Test
  void aSynthesisedMessageIsComparedByTimestampAndATieGoesToTheIncomingRtp2b1() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "alice", "c1", "c1:5:0", 100, "x")));
    // a synthesised LEAVE (id not prefixed by its connection id) older than the member loses
    assertEquals(List.of(), map.onPresence(List.of(msg(LEAVE, "alice", "c1", "sys:1:0", 99, null))));
    assertEquals(1, map.size());
    // RTP2b1a: same timestamp, the incoming wins
    assertEquals(List.of("LEAVE c1:alice"), summary(map.onPresence(List.of(msg(LEAVE, "alice", "c1", "sys:1:0", 100, null)))));
    assertEquals(0, map.size());
  }

  @Test
  void aLeaveForAnUnknownMemberEmitsNothingOutsideSync() {
    PresenceMap map = new PresenceMap();
    assertEquals(List.of(), map.onPresence(List.of(msg(LEAVE, "bob", "c2", "c2:1:0", 5, null))));
    assertEquals(0, map.size());
  }

  @Test
  void aSyncInSeveralPagesEndsWhenTheCursorIsEmptyAndRemovesResidualMembersWithSynthesisedLeavesRtp18Rtp19() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "old", "c9", "c9:1:0", 1, "o"), msg(ENTER, "kept", "c9", "c9:1:1", 1, "k")));
    map.startSync();
    assertFalse(map.syncComplete());
    assertEquals(List.of("PRESENT c1:alice"), summary(map.onSync("s1:abc", List.of(msg(PRESENT, "alice", "c1", "c1:1:0", 5, "a")), 50)));
    assertTrue(map.syncInProgress());
    // "kept" is named again (the same id is not newer, so no event) and stays; "old" is residual
    List<PresenceMessage> last = map.onSync("s1:", List.of(msg(PRESENT, "kept", "c9", "c9:1:1", 1, "k")), 50);
    assertEquals(List.of("LEAVE c9:old"), summary(last));
    PresenceMessage leave = last.get(0);
    assertNull(leave.id());
    assertEquals(50, leave.timestampMillis());
    assertEquals(new MessageData.Text("o"), leave.data());
    assertTrue(map.syncComplete());
    assertFalse(map.syncInProgress());
    assertEquals(2, map.size());
  }

  @Test
  void aLeaveDuringSyncIsStoredAsAbsentSoALaterStalePresentIsDiscardedAndAbsentIsDroppedSilentlyRtp2h2() {
    PresenceMap map = new PresenceMap();
    map.startSync();
    assertEquals(List.of(), map.onPresence(List.of(msg(LEAVE, "bob", "c2", "c2:7:0", 70, null))));
    assertEquals(List.of(), map.onSync("s1:x", List.of(msg(PRESENT, "bob", "c2", "c2:6:0", 60, "stale")), 80));
    assertEquals(0, map.size());
    assertEquals(List.of(), map.onSync("s1:", List.of(), 80));
    assertEquals(0, map.size());
    // after the sync, the ABSENT witness is gone: an older ENTER is accepted again
    assertEquals(1, map.onPresence(List.of(msg(ENTER, "bob", "c2", "c2:6:0", 60, "stale"))).size());
  }

  @Test
  void aLeaveDuringSyncForAPresentMemberIsEmittedOnceAndNotAgainAtTheEnd() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "bob", "c2", "c2:1:0", 1, null)));
    map.startSync();
    assertEquals(List.of("LEAVE c2:bob"), summary(map.onPresence(List.of(msg(LEAVE, "bob", "c2", "c2:2:0", 2, null)))));
    assertEquals(List.of(), map.onSync(null, List.of(), 5));
    assertEquals(0, map.size());
  }

  @Test
  void aSyncOfANewSequenceReplacesTheOneInProgressRtp18a() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "a", "c1", "c1:1:0", 1, null), msg(ENTER, "b", "c1", "c1:1:1", 1, null)));
    map.onSync("s1:more", List.of(msg(PRESENT, "a", "c1", "c1:1:0", 1, null)), 9);
    // s2 restarts: "a", named by s1 only, must be named again
    map.onSync("s2:more", List.of(msg(PRESENT, "b", "c1", "c1:1:1", 1, null)), 9);
    assertEquals(List.of("LEAVE c1:a"), summary(map.onSync("s2:", List.of(), 9)));
    assertEquals(List.of("c1:b"), map.members().stream().map(PresenceMessage::memberKey).toList());
  }

  @Test
  void aSyncStartedByAttachedAdoptsTheFirstSequenceWithoutRestarting() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "a", "c1", "c1:1:0", 1, null)));
    map.startSync();
    map.onPresence(List.of(msg(UPDATE, "a", "c1", "c1:2:0", 2, null)));
    assertEquals(List.of(), map.onSync("s1:", List.of(), 9));
    assertEquals(1, map.size());
  }

  @Test
  void attachedWithoutHasPresenceLeavesEveryMemberRtp19a() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "b", "c1", "c1:1:0", 1, null), msg(ENTER, "a", "c1", "c1:1:1", 1, null)));
    assertEquals(List.of("LEAVE c1:a", "LEAVE c1:b"), summary(map.leaveAll(77)));
    assertEquals(0, map.size());
    assertTrue(map.syncComplete());
  }

  @Test
  void clearEmptiesWithoutEventsRtp5a() {
    PresenceMap map = new PresenceMap();
    map.onPresence(List.of(msg(ENTER, "a", "c1", "c1:1:0", 1, null)));
    map.startSync();
    map.clear();
    assertEquals(0, map.size());
    assertFalse(map.syncInProgress());
    assertFalse(map.syncComplete());
  }

  @Test
  void inheritFillsIdConnectionIdAndTimestampFromTheProtocolMessageTp3() {
    List<PresenceMessage> in =
        List.of(msg(ENTER, "a", null, null, 0, null), msg(ENTER, "b", "own", "own:1:0", 3, null));
    List<PresenceMessage> out = PresenceMap.inherit("c1:4", "c1", 42, in);
    assertEquals("c1:4:0", out.get(0).id());
    assertEquals("c1", out.get(0).connectionId());
    assertEquals(42, out.get(0).timestampMillis());
    assertEquals(in.get(1), out.get(1));
  }
}
