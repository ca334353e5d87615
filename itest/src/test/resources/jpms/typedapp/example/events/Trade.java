package example.events;

import io.ably.api.event.EventName;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A typed event with a nested enum, nested records, a list, an Instant and a BigDecimal. */
@EventName("trade")
public record Trade(String symbol, Side side, BigDecimal price, long qty, Instant at, List<Leg> legs) {
  /** The side of a trade. */
  public enum Side { BUY, SELL }

  /** One venue's part of a trade. */
  public record Leg(String mic, long qty) {}
}
