package io.ably.itest.server;

import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One channel: its serial, message log, presence set and attached connections. State loop only. */
final class ServerChannel {
  /** A MESSAGE or PRESENCE sent on the channel, kept for resume, rewind and history. */
  static final class Entry {
    final long seq;
    final ProtocolMessage message;
    /** When it was logged, by the server's clock: for the age limit. */
    final long loggedMillis;
    /** Encoded frames, made on first use and shared by all subscribers of that format. */
    private byte[] jsonFrame;
    private byte[] msgpackFrame;

    Entry(long seq, ProtocolMessage message, long loggedMillis) {
      this.seq = seq;
      this.message = message;
      this.loggedMillis = loggedMillis;
    }

    byte[] frame(WireFormat format) {
      if (format == WireFormat.JSON) {
        if (jsonFrame == null) {
          jsonFrame = ProtocolCodec.of(format).encode(message);
        }
        return jsonFrame;
      }
      if (msgpackFrame == null) {
        msgpackFrame = ProtocolCodec.of(format).encode(message);
      }
      return msgpackFrame;
    }
  }

  final String name;
  private final int historyLimit;
  /** How long an entry is kept, in milliseconds; 0 for no limit. */
  private final long historyTtlMillis;
  private final java.util.function.LongSupplier nowMillis;
  private long seq;
  private final ArrayDeque<Entry> log = new ArrayDeque<>();
  /** The derived (filtered) channels of this one, by full name (RTS5); entries stay. */
  final Map<String, DerivedFilter> derived = new LinkedHashMap<>();
  /** Connections attached to this channel, with their granted modes. */
  final Map<ServerConnection, Integer> subscribers = new LinkedHashMap<>();
  /** Present members by member key (connectionId:clientId), stored with action PRESENT. */
  final Map<String, PresenceMessage> members = new LinkedHashMap<>();
  /** The serial given to each recently published message id, for idempotent publishing (RSL1k). */
  private final Map<String, String> serialsById =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_REMEMBERED_IDS;
        }
      };

  /** How many message ids a channel remembers for idempotent publishing. */
  static final int MAX_REMEMBERED_IDS = 10_000;

  ServerChannel(String name, int historyLimit, long historyTtlMillis, java.util.function.LongSupplier nowMillis) {
    this.name = name;
    this.historyLimit = historyLimit;
    this.historyTtlMillis = historyTtlMillis;
    this.nowMillis = nowMillis;
  }

  /** Drops the entries older than the age limit. */
  private void expire() {
    if (historyTtlMillis <= 0) {
      return;
    }
    long oldest = nowMillis.getAsLong() - historyTtlMillis;
    while (!log.isEmpty() && log.peekFirst().loggedMillis < oldest) {
      log.removeFirst();
    }
  }

  /** Returns the next sequence number to assign. */
  long nextSeq() {
    return ++seq;
  }

  /** The serial of the latest entry: what ATTACHED reports as the attach point. */
  long lastSeq() {
    return seq;
  }

  Entry append(long entrySeq, ProtocolMessage message) {
    Entry e = new Entry(entrySeq, message, nowMillis.getAsLong());
    log.addLast(e);
    while (log.size() > historyLimit) {
      log.removeFirst();
    }
    expire();
    return e;
  }

  /** Tells whether every entry after {@code afterSeq} is still in the log. */
  boolean canReplayFrom(long afterSeq) {
    expire();
    if (afterSeq > seq || afterSeq < 0) {
      return false;
    }
    Entry first = log.peekFirst();
    return first == null ? afterSeq == seq : first.seq <= afterSeq + 1;
  }

  /** Entries after {@code afterSeq}, oldest first. */
  List<Entry> entriesAfter(long afterSeq) {
    expire();
    List<Entry> out = new ArrayList<>();
    Iterator<Entry> it = log.descendingIterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.seq <= afterSeq) {
        break;
      }
      out.add(e);
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /** The last {@code n} MESSAGE entries, oldest first (rewind). */
  List<Entry> lastMessages(int n) {
    expire();
    List<Entry> out = new ArrayList<>();
    Iterator<Entry> it = log.descendingIterator();
    while (it.hasNext() && out.size() < n) {
      Entry e = it.next();
      if (e.message.action() == io.ably.wire.Action.MESSAGE) {
        out.add(e);
      }
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /** All entries, oldest first (REST history). */
  List<Entry> entries() {
    expire();
    return new ArrayList<>(log);
  }

  /** Remembers the serials given to messages that came with their own ids. */
  void rememberIds(List<Message> messages, List<String> serials) {
    for (int i = 0; i < messages.size(); i++) {
      String id = messages.get(i).id();
      if (id != null) {
        serialsById.put(id, serials.get(i));
      }
    }
  }

  /**
   * Returns the serials already given to these messages when every one of them has an id that was
   * published on this channel before (RSL1k4: a retried publish is not published twice), else
   * {@code null}.
   */
  List<String> serialsOfRepublished(List<Message> messages) {
    List<String> serials = new ArrayList<>(messages.size());
    for (Message m : messages) {
      String serial = m.id() == null ? null : serialsById.get(m.id());
      if (serial == null) {
        return null;
      }
      serials.add(serial);
    }
    return serials.isEmpty() ? null : serials;
  }

  void clear() {
    serialsById.clear();
    log.clear();
    subscribers.clear();
    members.clear();
  }
}
