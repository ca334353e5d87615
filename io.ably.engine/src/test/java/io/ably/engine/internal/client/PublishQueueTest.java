package io.ably.engine.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.wire.PublishResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The msgSerial bookkeeping of RTN7 and RTN19, without a transport. */
class PublishQueueTest {
  private final PublishQueue<String> queue = new PublishQueue<>();
  private final List<String> acked = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();
  private final PublishQueue.Outcome<String> outcome =
      new PublishQueue.Outcome<>() {
        @Override
        public void acknowledged(PublishQueue.Entry<String> entry, List<String> serials) {
          acked.add(entry.owner + "=" + serials);
        }

        @Override
        public void refused(PublishQueue.Entry<String> entry, ErrorInfo error) {
          refused.add(entry.owner + "=" + error.code());
        }
      };

  private static PublishQueue.Entry<String> entry(String owner, int count) {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(Message.ofText("m", owner + i));
    }
    return new PublishQueue.Entry<>("c", List.copyOf(messages), owner);
  }

  private static List<PublishResult> res(String... serials) {
    List<PublishResult> l = new ArrayList<>();
    for (String s : serials) {
      l.add(new PublishResult(List.of(s)));
    }
    return l;
  }

  @Test
  void anAckOrNackThatCannotBeTrueIsNamedAndResolvesNothing() {
    queue.send(entry("a", 1));
    queue.send(entry("b", 1));
    assertEquals(null, queue.impossibleAck(0, 2));
    assertEquals(null, queue.impossibleAck(1, 1));
    assertTrue(queue.impossibleAck(0, 0).contains("not positive"));
    assertTrue(queue.impossibleAck(0, -5).contains("not positive"));
    assertTrue(queue.impossibleAck(-1, 1).contains("negative"));
    assertTrue(queue.impossibleAck(2, 1).contains("never sent"));
    assertTrue(queue.impossibleAck(0, Integer.MAX_VALUE).contains("never sent"));
    assertTrue(queue.impossibleAck(Long.MAX_VALUE, Integer.MAX_VALUE).contains("never sent"));
    assertEquals(2, queue.awaitingAck());
    assertTrue(acked.isEmpty() && refused.isEmpty());
  }

  @Test
  void sentPublishesAreNumberedFromZeroAndCarryTheirSerialRTN7b() {
    assertEquals(0, queue.send(entry("a", 1)).serial);
    PublishQueue.Entry<String> b = queue.send(entry("b", 3));
    assertEquals(1, b.serial);
    assertEquals(Long.valueOf(1), b.numbered().msgSerial());
    assertEquals(4, queue.pendingMessages());
    assertEquals(2, queue.nextSerial());
  }

  @Test
  void anAckResolvesItsRangeWithTheSerialsInOrder() {
    queue.send(entry("a", 1));
    queue.send(entry("b", 1));
    queue.send(entry("c", 1));
    queue.ack(0, 2, res("s0", "s1"), outcome);
    assertEquals(List.of("a=[s0]", "b=[s1]"), acked);
    assertEquals(1, queue.awaitingAck());
    assertEquals(1, queue.pendingMessages());
  }

  @Test
  void anAckWithoutResultsGivesNullSerialsOnePerMessage() {
    queue.send(entry("a", 2));
    queue.ack(0, 1, List.of(), outcome);
    assertEquals(List.of("a=[null, null]"), acked);
  }

  @Test
  void aSerialSkippedByAnAckIsAnImplicitNack() {
    queue.send(entry("a", 1));
    queue.send(entry("b", 1));
    queue.ack(1, 1, res("s1"), outcome);
    assertEquals(List.of("a=" + ErrorCode.INTERNAL_ERROR.code()), refused);
    assertEquals(List.of("b=[s1]"), acked);
    assertEquals(0, queue.pendingMessages());
  }

  @Test
  void serialsAlreadyResolvedAreIgnored() {
    queue.send(entry("a", 1));
    queue.send(entry("b", 1));
    queue.ack(0, 1, res("s0"), outcome);
    queue.ack(0, 1, res("s0"), outcome);
    queue.nack(0, 1, ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "late"), outcome);
    assertEquals(List.of("a=[s0]"), acked);
    assertTrue(refused.isEmpty());
    assertEquals(1, queue.awaitingAck());
  }

  @Test
  void aNackFailsExactlyItsRange() {
    queue.send(entry("a", 1));
    queue.send(entry("b", 1));
    queue.send(entry("c", 1));
    queue.nack(1, 1, ErrorInfo.of(ErrorCode.RATE_LIMIT_EXCEEDED, "slow"), outcome);
    assertEquals(List.of("a=" + ErrorCode.INTERNAL_ERROR.code(), "b=42910"), refused);
    queue.ack(2, 1, res("s2"), outcome);
    assertEquals(List.of("c=[s2]"), acked);
  }

  @Test
  void afterAResumeUnackedPublishesKeepTheirSerialsAndQueuedOnesFollowRTN19a() {
    queue.send(entry("a", 1));
    queue.send(entry("b", 1));
    queue.queue(entry("c", 1));
    List<PublishQueue.Entry<String>> resent = queue.resend();
    assertEquals(List.of("a", "b", "c"), resent.stream().map(e -> e.owner).toList());
    assertEquals(List.of(0L, 1L, 2L), resent.stream().map(e -> e.serial).toList());
    assertEquals(3, queue.nextSerial());
    assertEquals(3, queue.awaitingAck());
  }

  @Test
  void afterANewConnectionEverythingPendingIsRenumberedFromZeroRTN15c7RTN19a2() {
    queue.send(entry("a", 1));
    queue.send(entry("b", 1));
    queue.send(entry("c", 1));
    queue.ack(0, 1, res("s0"), outcome);
    queue.queue(entry("d", 1));
    queue.resetSerial();
    List<PublishQueue.Entry<String>> resent = queue.resend();
    assertEquals(List.of("b", "c", "d"), resent.stream().map(e -> e.owner).toList());
    assertEquals(List.of(0L, 1L, 2L), resent.stream().map(e -> e.serial).toList());
    queue.ack(0, 3, res("x", "y", "z"), outcome);
    assertEquals(List.of("a=[s0]", "b=[x]", "c=[y]", "d=[z]"), acked);
  }

  @Test
  void drainTakesEverythingPendingInOrderRTN7e() {
    queue.send(entry("a", 2));
    queue.queue(entry("b", 1));
    assertEquals(List.of("a", "b"), queue.drain().stream().map(e -> e.owner).toList());
    assertEquals(0, queue.pendingMessages());
    assertEquals(0, queue.awaitingAck());
  }

  @Test
  void queuedPublishesOfOneOwnerCanBeTakenOut() {
    queue.queue(entry("a", 1));
    queue.queue(entry("b", 2));
    queue.queue(entry("a", 1));
    assertEquals(2, queue.removeQueued("a"::equals).size());
    assertEquals(2, queue.pendingMessages());
  }

  @Test
  void aRecoveredSerialIsWhereNumberingStartsRTN16f() {
    queue.startAt(42);
    assertEquals(42, queue.send(entry("a", 1)).serial);
  }
}
