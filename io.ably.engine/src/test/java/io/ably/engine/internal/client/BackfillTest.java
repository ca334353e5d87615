package io.ably.engine.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelEvent;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ContinuityGap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** {@link Backfill} against a scripted history whose pages arrive when the test says. */
class BackfillTest {
  private static final ChannelStateChange LOSS =
      new ChannelStateChange(ChannelState.ATTACHING, ChannelState.ATTACHED, ChannelEvent.ATTACHED, null, false, false);

  /** The channel's log: message n has id "m<n>", serial "s<n>", timestamp 1000 + n. */
  private final List<Message> log = new ArrayList<>();
  /** The oldest position history still holds (retention). */
  private int retainedFrom;
  /** History requests waiting for the test to answer them, in order. */
  private final ArrayDeque<Runnable> pendingPages = new ArrayDeque<>();
  private final List<Message> delivered = new ArrayList<>();
  private final List<ContinuityGap> reports = new ArrayList<>();
  private int pageSize = 3;
  private long wallClock = 1_000;
  private RuntimeException historyFailure;

  private final Backfill.HistorySource source =
      (attachSerial, startMillis, limit, done) -> {
        int until = Integer.parseInt(attachSerial.substring(1));
        pendingPages.add(() -> answer(until, startMillis, done));
      };

  private final Backfill backfill =
      new Backfill(
          source,
          new Backfill.Outlet() {
            @Override
            public void deliver(List<Message> messages) {
              delivered.addAll(messages);
            }

            @Override
            public void finished(ChannelStateChange cause, ContinuityGap gap) {
              assertEquals(LOSS, cause);
              reports.add(gap);
            }
          },
          5,
          () -> wallClock);

  private void answer(int until, long startMillis, BiConsumer<Backfill.HistoryPage, Throwable> done) {
    if (historyFailure != null) {
      done.accept(null, historyFailure);
      return;
    }
    List<Message> newestFirst = new ArrayList<>();
    for (int i = Math.min(until, log.size() - 1); i >= retainedFrom; i--) {
      if (log.get(i).timestampMillis() >= startMillis) {
        newestFirst.add(log.get(i));
      }
    }
    done.accept(page(newestFirst, 0), null);
  }

  private Backfill.HistoryPage page(List<Message> all, int from) {
    int to = Math.min(all.size(), from + pageSize);
    return new Backfill.HistoryPage() {
      @Override
      public List<Message> items() {
        return all.subList(from, to);
      }

      @Override
      public boolean hasNext() {
        return to < all.size();
      }

      @Override
      public void next(BiConsumer<Backfill.HistoryPage, Throwable> done) {
        pendingPages.add(() -> done.accept(page(all, to), null));
      }
    };
  }

  private Message publish() {
    int n = log.size();
    Message m = Message.builder().id("m" + n).serial("s" + n).timestampMillis(1_000 + n).build();
    log.add(m);
    return m;
  }

  private void answerAll() {
    while (!pendingPages.isEmpty()) {
      pendingPages.poll().run();
    }
  }

  private List<String> deliveredIds() {
    List<String> ids = new ArrayList<>();
    for (Message m : delivered) {
      ids.add(m.id());
    }
    return ids;
  }

  private static List<String> ids(int from, int toExclusive) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < toExclusive; i++) {
      ids.add("m" + i);
    }
    return ids;
  }

  @Test
  void aGapIsFilledFromHistoryInOrderBeforeTheMessagesThatArrivedMeanwhile() {
    backfill.attachedAfresh();
    backfill.onMessages(List.of(publish(), publish()));
    for (int i = 0; i < 7; i++) {
      publish(); // missed: m2..m8
    }
    backfill.start(LOSS, "s8");
    assertTrue(backfill.running());
    backfill.onMessages(List.of(publish())); // m9, live, waits
    backfill.onMessages(List.of(publish())); // m10
    assertEquals(ids(0, 2), deliveredIds(), "nothing new before the history");
    answerAll();
    assertEquals(ids(0, 11), deliveredIds());
    assertFalse(backfill.running());
    ContinuityGap gap = reports.get(0);
    assertTrue(gap.complete());
    assertEquals(7, gap.recovered());
    assertEquals("m1", gap.lastDeliveredId());
    assertEquals("m2", gap.firstRecoveredId());
    assertEquals("m10", backfill.lastId());
    assertEquals("s10", backfill.lastSerial());
  }

  @Test
  void historyThatNoLongerReachesTheLastDeliveredMessageReportsTheExactHole() {
    backfill.onMessages(List.of(publish(), publish())); // m0, m1 delivered
    for (int i = 0; i < 8; i++) {
      publish(); // m2..m9 missed
    }
    retainedFrom = 5; // m2, m3, m4 expired
    backfill.start(LOSS, "s9");
    backfill.onMessages(List.of(publish())); // m10
    answerAll();
    List<String> expected = new ArrayList<>(ids(0, 2));
    expected.addAll(ids(5, 11));
    assertEquals(expected, deliveredIds());
    ContinuityGap gap = reports.get(0);
    assertFalse(gap.complete());
    assertEquals("m1", gap.lastDeliveredId());
    assertEquals("s1", gap.lastDeliveredSerial());
    assertEquals("m5", gap.firstRecoveredId(), "the hole is m2..m4: after m1, before m5");
    assertEquals("s5", gap.firstRecoveredSerial());
    assertEquals(5, gap.recovered());
    assertEquals("s9", gap.attachSerial());
    assertEquals(0, gap.droppedLive());
    assertNull(gap.error());
  }

  @Test
  void aMessageDeliveredAlreadyIsNeverDeliveredAgain() {
    Message m0 = publish();
    Message m1 = publish();
    backfill.onMessages(List.of(m0, m1));
    backfill.onMessages(List.of(m1)); // a replay
    publish();
    backfill.start(LOSS, "s2");
    backfill.onMessages(List.of(log.get(2))); // also live, by a replay after the attach point
    answerAll();
    assertEquals(ids(0, 3), deliveredIds());
  }

  @Test
  void aFullHoldBufferDropsTheNewestLiveMessagesAndSaysHowMany() {
    backfill.onMessages(List.of(publish()));
    publish();
    backfill.start(LOSS, "s1");
    for (int i = 0; i < 8; i++) {
      backfill.onMessages(List.of(publish())); // the hold limit is 5
    }
    answerAll();
    assertEquals(ids(0, 7), deliveredIds());
    ContinuityGap gap = reports.get(0);
    assertFalse(gap.complete());
    assertEquals(3, gap.droppedLive());
    assertEquals(1, gap.recovered());
  }

  @Test
  void aHistoryFailureIsReportedAndTheHeldMessagesStillFlow() {
    backfill.onMessages(List.of(publish()));
    publish();
    historyFailure = AblyException.of(ErrorCode.INTERNAL_ERROR, "no history today");
    backfill.start(LOSS, "s1");
    backfill.onMessages(List.of(publish()));
    answerAll();
    assertEquals(List.of("m0", "m2"), deliveredIds());
    ContinuityGap gap = reports.get(0);
    assertFalse(gap.complete());
    assertEquals(ErrorCode.INTERNAL_ERROR.code(), gap.error().code());
    assertEquals(0, gap.recovered());
    assertNull(gap.firstRecoveredId());
  }

  @Test
  void aSecondLossDuringABackfillStartsOverFromTheSamePositionWithoutDuplicates() {
    backfill.onMessages(List.of(publish()));
    publish();
    publish();
    backfill.start(LOSS, "s2");
    backfill.onMessages(List.of(publish())); // m3 held, then lost with the second loss
    publish();
    backfill.start(LOSS, "s4");
    pendingPages.poll().run(); // the first backfill's page, answered late: ignored
    answerAll();
    backfill.onMessages(List.of(publish()));
    assertEquals(ids(0, 6), deliveredIds());
    assertEquals(1, reports.size());
    assertTrue(reports.get(0).complete());
  }

  @Test
  void withNothingDeliveredHistoryStartsAtTheFirstAttachByTheWallClock() {
    publish(); // m0 at 1000, before the first attach
    publish(); // m1 at 1001
    wallClock = 1_002;
    backfill.attachedAfresh();
    publish(); // m2 at 1002
    publish(); // m3
    backfill.start(LOSS, "s3");
    answerAll();
    assertEquals(ids(2, 4), deliveredIds());
    assertTrue(reports.get(0).complete());
  }

  @Test
  void aStoredPositionIsWhereTheBackfillContinuesFrom() {
    for (int i = 0; i < 6; i++) {
      publish();
    }
    backfill.resumeFrom("m2", "s2");
    backfill.start(LOSS, "s5");
    answerAll();
    assertEquals(ids(3, 6), deliveredIds());
    assertEquals(3, reports.get(0).recovered());
  }

  @Test
  void aCancelledBackfillDeliversNothingMore() {
    backfill.onMessages(List.of(publish()));
    publish();
    backfill.start(LOSS, "s1");
    backfill.onMessages(List.of(publish()));
    backfill.reset();
    answerAll();
    assertEquals(List.of("m0"), deliveredIds());
    assertTrue(reports.isEmpty());
    assertNull(backfill.lastId());
  }
}
