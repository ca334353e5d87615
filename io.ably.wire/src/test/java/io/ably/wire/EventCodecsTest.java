package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.event.EventCodec;
import io.ably.api.event.EventFormat;
import io.ably.api.event.EventName;
import io.ably.api.message.MessageData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventCodecsTest {
  public enum Side { BUY, SELL }

  public record Venue(String mic, List<String> aliases) {}

  @EventName("trade")
  public record Trade(
      String symbol, Side side, BigDecimal price, long qty, Instant at, Venue venue,
      List<Venue> routed) {}

  static Trade sample() {
    return new Trade(
        "AAPL", Side.SELL, new BigDecimal("187.250"), 100,
        Instant.parse("2026-12-05T08:30:00.123456789Z"),
        new Venue("XNAS", List.of("NASDAQ", "Q")),
        List.of(new Venue("BATS", List.of()), new Venue("IEXG", List.of("IEX"))));
  }

  @ParameterizedTest
  @EnumSource(EventFormat.class)
  void aRecordWithNestedRecordsListsEnumsInstantAndBigDecimalRoundTripsExactly(EventFormat format) {
    EventCodec<Trade> codec = EventCodecs.of(Trade.class, format);
    assertEquals("trade", codec.eventName());
    MessageData data = codec.encode(sample());
    Class<?> expected = format == EventFormat.JSON ? MessageData.Json.class : MessageData.Binary.class;
    assertTrue(expected.isInstance(data), data.toString());
    Trade back = codec.decode(data);
    assertEquals(sample(), back);
    assertEquals(3, back.price().scale(), "BigDecimal keeps its scale");
  }

  @ParameterizedTest
  @EnumSource(EventFormat.class)
  void payloadsThatAreNotTheTypeFailToDecodeWithTheReason(EventFormat format) {
    EventCodec<Trade> codec = EventCodecs.of(Trade.class, format);
    assertThrows(IllegalArgumentException.class, () -> codec.decode(null));
    assertThrows(IllegalArgumentException.class, () -> codec.decode(MessageData.text("not json")));
    assertThrows(IllegalArgumentException.class, () -> codec.decode(MessageData.json("[1,2]")));
    assertThrows(
        IllegalArgumentException.class,
        () -> codec.decode(MessageData.json("{\"qty\":\"many\"}")));
    assertThrows(
        IllegalArgumentException.class,
        () -> codec.decode(MessageData.binary(new byte[] {(byte) 0xc1})));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> codec.decode(MessageData.binary(new byte[] {(byte) 0x93, 1, 2, 3})));
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
  }
}
