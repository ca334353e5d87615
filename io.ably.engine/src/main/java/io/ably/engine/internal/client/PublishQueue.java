package io.ably.engine.internal.client;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.PublishResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of one client that wait for an acknowledgement, and those that wait for the
 * connection, with the msgSerial that numbers them (RTN7, RTN19, RTL6c2). Pure bookkeeping: it
 * sends nothing and completes nothing itself; callers act on what it returns.
 *
 * @param <T> what the caller attaches to each publish (its stage and channel)
 */
@EventLoopConfined
final class PublishQueue<T> {

  /** One publish: the messages of one MESSAGE protocol message and what they stand for. */
  static final class Entry<T> {
    final String channel;
    final List<Message> messages;
    /** The presence messages of a PRESENCE publish; empty for a MESSAGE. */
    final List<PresenceMessage> presence;
    final int count;
    final T owner;
    long serial = -1;
    /** Whether it has been counted as published (it may be sent again after a reconnection). */
    boolean counted;

    Entry(String channel, List<Message> messages, T owner) {
      this(channel, messages, List.of(), owner);
    }

    /** A PRESENCE publish (RTP8, RTP14): numbered and acknowledged like a MESSAGE. */
    static <T> Entry<T> presence(String channel, List<PresenceMessage> presence, T owner) {
      return new Entry<>(channel, List.of(), presence, owner);
    }

    private Entry(String channel, List<Message> messages, List<PresenceMessage> presence, T owner) {
      this.channel = channel;
      this.messages = messages;
      this.presence = presence;
      this.count = messages.size() + presence.size();
      this.owner = owner;
    }

    /** The MESSAGE, or PRESENCE, with its serial, ready to send. */
    ProtocolMessage numbered() {
      if (!presence.isEmpty()) {
        return ProtocolMessage.builder(Action.PRESENCE)
            .channel(channel)
            .presence(presence)
            .msgSerial(serial)
            .build();
      }
      return ProtocolMessage.builder(Action.MESSAGE)
          .channel(channel)
          .messages(messages)
          .msgSerial(serial)
          .build();
    }
  }

  /** Receives the outcome of each resolved publish. */
  interface Outcome<T> {
    void acknowledged(Entry<T> entry, List<String> serials);

    void refused(Entry<T> entry, ErrorInfo error);
  }

  private final ArrayDeque<Entry<T>> sent = new ArrayDeque<>();
  private final ArrayDeque<Entry<T>> queued = new ArrayDeque<>();
  private long nextSerial;
  private boolean renumber;
  private long pendingMessages;

  /** Numbers a publish and records it as sent; the caller sends {@link Entry#numbered()}. */
  Entry<T> send(Entry<T> entry) {
    entry.serial = nextSerial++;
    sent.add(entry);
    pendingMessages += entry.count;
    return entry;
  }

  /** Numbers from a recovered msgSerial (RTN16f). */
  void startAt(long serial) {
    nextSerial = serial;
  }

  /** Keeps a publish until the connection is CONNECTED (RTL6c2). */
  void queue(Entry<T> entry) {
    queued.add(entry);
    pendingMessages += entry.count;
  }

  /** Whether publishes wait unsent (for the connection or for the socket). */
  boolean hasQueued() {
    return !queued.isEmpty();
  }

  /** Removes and returns the oldest unsent publish, or null; the caller numbers it with {@link #send}. */
  Entry<T> pollQueued() {
    Entry<T> e = queued.poll();
    if (e != null) {
      pendingMessages -= e.count;
    }
    return e;
  }

  /** A new connection numbers from 0; what is pending is renumbered when resent (RTN15c7, RTN19a2). */
  void resetSerial() {
    nextSerial = 0;
    renumber = true;
  }

  /**
   * Returns every publish to send on a new transport, in order: those sent and not resolved
   * (keeping their serials after a resume, renumbered after {@link #resetSerial()}), then the
   * queued ones, numbered next (RTN19a). All of them count as sent afterwards.
   */
  List<Entry<T>> resend() {
    List<Entry<T>> all = new ArrayList<>(sent.size() + queued.size());
    all.addAll(sent);
    all.addAll(queued);
    sent.clear();
    queued.clear();
    for (Entry<T> e : all) {
      if (renumber || e.serial < 0) {
        e.serial = nextSerial++;
      }
      sent.add(e);
    }
    renumber = false;
    return all;
  }

  /**
   * Says why an ACK or NACK for serials {@code serial … serial+count-1} cannot be true, or returns
   * {@code null} when it can: a count of zero or less, a negative serial, or a range that reaches
   * a serial this client never sent. Such a message is a protocol error: resolving anything by it
   * could fail a publish the service accepted.
   *
   * @param serial the first serial of the range
   * @param count the number of serials
   * @return the reason, or {@code null}
   */
  String impossibleAck(long serial, int count) {
    if (count <= 0) {
      return "count " + count + " is not positive";
    }
    if (serial < 0) {
      return "msgSerial " + serial + " is negative";
    }
    if (serial >= nextSerial || count > nextSerial - serial) { // no overflow for a huge serial
      return "msgSerial " + serial + " count " + count + " reaches a serial never sent (next is "
          + nextSerial + ")";
    }
    return null;
  }

  /**
   * Resolves an ACK for serials {@code serial … serial+count-1}: those publishes succeed with
   * {@code res} (one entry per protocol message); any earlier one still pending was skipped by
   * the service and fails (an implicit NACK). Serials already resolved are ignored.
   */
  void ack(long serial, int count, List<PublishResult> res, Outcome<T> outcome) {
    failSkipped(serial, outcome);
    long end = serial + Math.max(0, count);
    // Walks what is pending, never the count the service sent: the work is bounded by this queue.
    while (!sent.isEmpty() && sent.peek().serial < end) {
      Entry<T> head = sent.poll();
      pendingMessages -= head.count;
      int i = (int) (head.serial - serial);
      List<String> serials = i < res.size() && res.get(i) != null ? res.get(i).serials() : null;
      outcome.acknowledged(head, serials == null ? nulls(head.count) : serials);
    }
  }

  /** Resolves a NACK for serials {@code serial … serial+count-1} with the service's error. */
  void nack(long serial, int count, ErrorInfo error, Outcome<T> outcome) {
    failSkipped(serial, outcome);
    long end = serial + Math.max(0, count);
    while (!sent.isEmpty() && sent.peek().serial < end) {
      Entry<T> head = sent.poll();
      pendingMessages -= head.count;
      outcome.refused(head, error);
    }
  }

  private void failSkipped(long serial, Outcome<T> outcome) {
    while (!sent.isEmpty() && sent.peek().serial < serial) {
      Entry<T> skipped = sent.poll();
      pendingMessages -= skipped.count;
      outcome.refused(
          skipped,
          ErrorInfo.of(
              ErrorCode.INTERNAL_ERROR,
              "no acknowledgement for msgSerial " + skipped.serial
                  + ": the service acknowledged a later one"));
    }
  }

  /** Removes and returns every pending publish, sent or queued, in order (RTN7e, RTN7d). */
  List<Entry<T>> drain() {
    List<Entry<T>> all = new ArrayList<>(sent);
    all.addAll(queued);
    sent.clear();
    queued.clear();
    pendingMessages = 0;
    return all;
  }

  /** Removes and returns the queued publishes of one owner that match (a channel that failed). */
  List<Entry<T>> removeQueued(java.util.function.Predicate<T> which) {
    List<Entry<T>> removed = new ArrayList<>();
    queued.removeIf(
        e -> {
          if (which.test(e.owner)) {
            removed.add(e);
            pendingMessages -= e.count;
            return true;
          }
          return false;
        });
    return removed;
  }

  /** Messages pending now, sent or queued. */
  long pendingMessages() {
    return pendingMessages;
  }

  /** Publishes sent and not resolved. */
  int awaitingAck() {
    return sent.size();
  }

  /** The serial the next publish gets. */
  long nextSerial() {
    return nextSerial;
  }

  private static List<String> nulls(int n) {
    List<String> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(null);
    }
    return l;
  }
}
