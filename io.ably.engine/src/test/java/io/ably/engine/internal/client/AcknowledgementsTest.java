package io.ably.engine.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.spi.SubscriptionStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcknowledgementsTest {
  private final Acknowledgements acks = new Acknowledgements("orders");

  private static Message m(int n) {
    return Message.builder().id("m" + n).serial("e:" + n + ":0").build();
  }

  @Test
  void anAcknowledgementMovesThePositionToThatMessageAndCoversEveryEarlierOne() {
    acks.delivered(List.of(m(1), m(2), m(3)));
    assertNull(acks.acknowledged());
    assertNull(acks.acknowledge(m(2)));
    assertEquals(new SubscriptionStore.Position("m2", "e:2:0"), acks.acknowledged());
    assertEquals(1, acks.pending(), "m3 still waits");
    assertNull(acks.acknowledge(m(3)));
    assertEquals(0, acks.pending());
  }

  @Test
  void acknowledgingAnEarlierMessageAgainIsRefusedAsOutOfOrder() {
    acks.delivered(List.of(m(1), m(2), m(3)));
    assertNull(acks.acknowledge(m(2)));
    ErrorInfo e = acks.acknowledge(m(1));
    assertTrue(e.is(ErrorCode.BAD_REQUEST), e.toString());
    assertTrue(e.message().contains("out of order"), e.message());
    assertEquals("m2", acks.acknowledged().lastId(), "the position does not move back");
  }

  @Test
  void aMessageNeverDeliveredOnTheChannelIsRefusedAndNamesTheChannel() {
    acks.delivered(List.of(m(1)));
    ErrorInfo e = acks.acknowledge(Message.builder().id("elsewhere:0").build());
    assertTrue(e.is(ErrorCode.BAD_REQUEST), e.toString());
    assertTrue(e.message().contains("not delivered on channel orders"), e.message());
    assertNull(acks.acknowledged());
    assertEquals(1, acks.pending());
  }

  @Test
  void aMessageWithoutAnIdIsMatchedByItsSerial() {
    Message noId = Message.builder().serial("e:9:0").build();
    acks.delivered(List.of(noId));
    assertNull(acks.acknowledge(Message.builder().serial("e:9:0").build()));
    assertEquals("e:9:0", acks.acknowledged().lastSerial());
  }

  @Test
  void beyondTheBoundTheOldestWaitingAreForgottenAndALaterAcknowledgementStillCoversThem() {
    Acknowledgements small = new Acknowledgements("orders", 3);
    small.delivered(List.of(m(1), m(2), m(3), m(4), m(5)));
    assertEquals(3, small.pending(), "bounded");
    ErrorInfo e = small.acknowledge(m(1));
    assertTrue(e.is(ErrorCode.BAD_REQUEST), e.toString());
    assertTrue(e.message().contains("no longer tracked") && e.message().contains("acknowledge a later message"), e.message());
    assertNull(small.acknowledge(m(4)));
    assertEquals("m4", small.acknowledged().lastId());
    assertEquals(1, small.pending(), "m5 still waits");
  }
}
