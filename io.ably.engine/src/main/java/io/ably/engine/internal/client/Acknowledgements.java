package io.ably.engine.internal.client;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.spi.SubscriptionStore;
import io.ably.engine.internal.EventLoopConfined;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The manual acknowledgements of one persistent channel (ChannelOptions.manualAcknowledgement):
 * the messages delivered and not yet acknowledged, in delivery order, and the last one
 * acknowledged, which is the position the store keeps. Owned by the channel's event loop.
 */
@EventLoopConfined
final class Acknowledgements {
  /** How many acknowledged positions are remembered, to tell "acknowledged already" apart. */
  static final int RECENT = 10_000;
  /**
   * How many delivered messages are tracked while they wait for an acknowledgement: beyond it the
   * oldest are forgotten (an application that never acknowledges must not make the client hold
   * every message's position, nor make each acknowledgement scan them all). A later message can
   * still be acknowledged, and covers the forgotten ones.
   */
  static final int MAX_PENDING = 100_000;

  private final String channel;
  private final int maxPending;
  /** Positions forgotten while waiting (beyond {@link #MAX_PENDING}), oldest first, bounded. */
  private final LinkedHashSet<SubscriptionStore.Position> forgotten = new LinkedHashSet<>();
  /** Delivered, not acknowledged, oldest first. */
  private final ArrayDeque<SubscriptionStore.Position> pending = new ArrayDeque<>();
  /** Positions acknowledged or passed by a later acknowledgement, oldest first, bounded. */
  private final LinkedHashSet<SubscriptionStore.Position> passed = new LinkedHashSet<>();
  /** The last message acknowledged, or null. */
  private SubscriptionStore.Position acknowledged;

  Acknowledgements(String channel) {
    this(channel, MAX_PENDING);
  }

  Acknowledgements(String channel, int maxPending) {
    this.channel = channel;
    this.maxPending = maxPending;
  }

  /** Messages delivered to the subscribers, in order. */
  void delivered(List<Message> messages) {
    for (int i = 0; i < messages.size(); i++) {
      pending.add(SubscriptionStore.Position.of(messages.get(i)));
      if (pending.size() > maxPending) {
        remember(forgotten, pending.poll());
      }
    }
  }

  /** The last message acknowledged, or null. */
  SubscriptionStore.Position acknowledged() {
    return acknowledged;
  }

  /** How many delivered messages wait for an acknowledgement. */
  int pending() {
    return pending.size();
  }

  /**
   * Acknowledges a message and every one delivered before it.
   *
   * @return null, or what is wrong
   */
  ErrorInfo acknowledge(Message message) {
    int n = 0;
    for (SubscriptionStore.Position p : pending) {
      n++;
      if (same(p, message)) {
        for (int i = 0; i < n; i++) {
          remember(passed, pending.poll());
        }
        acknowledged = p;
        return null;
      }
    }
    for (SubscriptionStore.Position p : passed) {
      if (same(p, message)) {
        return ErrorInfo.of(ErrorCode.BAD_REQUEST, "message " + describe(message) + " of channel " + channel
            + " cannot be acknowledged out of order: it, or a message delivered after it, was acknowledged already");
      }
    }
    for (SubscriptionStore.Position p : forgotten) {
      if (same(p, message)) {
        return ErrorInfo.of(ErrorCode.BAD_REQUEST, "message " + describe(message) + " of channel " + channel
            + " waited for an acknowledgement behind more than " + maxPending + " others and is no longer tracked:"
            + " acknowledge a later message, which covers it");
      }
    }
    return ErrorInfo.of(ErrorCode.BAD_REQUEST, "message " + describe(message) + " was not delivered on channel "
        + channel + " in this run (a message of another channel?), so it cannot be acknowledged there");
  }

  private static void remember(Set<SubscriptionStore.Position> set, SubscriptionStore.Position p) { // insertion-ordered
    set.add(p);
    if (set.size() > RECENT) {
      Iterator<SubscriptionStore.Position> it = set.iterator();
      it.next();
      it.remove();
    }
  }

  private static boolean same(SubscriptionStore.Position p, Message m) {
    if (p.lastId() != null && m.id() != null) {
      return p.lastId().equals(m.id());
    }
    return p.lastSerial() != null && Objects.equals(p.lastSerial(), m.serial());
  }

  private static String describe(Message m) {
    return m.id() != null ? m.id() : "with serial " + m.serial();
  }
}
