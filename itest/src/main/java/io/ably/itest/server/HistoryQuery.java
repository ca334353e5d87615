package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import io.ably.itest.server.ServerConductor.RefusedException;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A history query on a channel's log (RSL2, RSP4): time window, direction, limit, the
 * {@code untilAttach} bound ({@code fromSerial} or {@code from_serial}, RTL10b) and the cursor.
 * Items come out as clients expect them, with every field the ProtocolMessage implied filled in
 * (TM2a, TM2c, TM2f). Built and used on the state loop.
 */
final class HistoryQuery {
  /**
   * An item with its place in the log.
   *
   * @param position the entry's sequence number and the item's index in it
   * @param item a {@link Message} or {@link PresenceMessage}
   */
  record Item<T>(Paging.Position position, T item) {}

  private final long startMillis;
  private final long endMillis;
  private final boolean backwards;
  private final int limit;
  /** The highest channel sequence number included. */
  private final long untilSeq;
  private final String cursor;
  /** The query without the cursor, for the Link headers. */
  private final Map<String, String> linkParams = new LinkedHashMap<>();

  private HistoryQuery(
      long startMillis, long endMillis, boolean backwards, int limit, long untilSeq, String cursor) {
    this.startMillis = startMillis;
    this.endMillis = endMillis;
    this.backwards = backwards;
    this.limit = limit;
    this.untilSeq = untilSeq;
    this.cursor = cursor;
  }

  /**
   * Reads the query parameters.
   *
   * @param untilAttach whether {@code fromSerial} is accepted (message history only)
   * @throws RefusedException 40003 for an invalid parameter
   */
  static HistoryQuery parse(RestRequest r, ChannelRouter router, boolean untilAttach)
      throws RefusedException {
    String start = r.param("start");
    String end = r.param("end");
    long startMillis = start == null ? 0 : Paging.number(start, "start");
    long endMillis = end == null ? Long.MAX_VALUE : Paging.number(end, "end");
    if (startMillis > endMillis) {
      throw Credentials.refused(ErrorCode.INVALID_PARAMETER, "start must not be after end");
    }
    boolean backwards = Paging.backwards(r);
    int limit = Paging.limit(r);
    String fromSerial = untilAttach ? r.param("fromSerial") : null;
    if (fromSerial == null && untilAttach) {
      fromSerial = r.param("from_serial");
    }
    long untilSeq = Long.MAX_VALUE;
    if (fromSerial != null) {
      untilSeq = router.seqOf(fromSerial);
      if (untilSeq < 0) {
        throw Credentials.refused(
            ErrorCode.INVALID_PARAMETER, "fromSerial " + fromSerial + " is not a serial of this channel");
      }
    }
    HistoryQuery q =
        new HistoryQuery(startMillis, endMillis, backwards, limit, untilSeq, r.param(Paging.CURSOR));
    q.linkParams.put("start", start);
    q.linkParams.put("end", end);
    q.linkParams.put("direction", backwards ? "backwards" : "forwards");
    q.linkParams.put("limit", Integer.toString(limit));
    q.linkParams.put("fromSerial", fromSerial);
    return q;
  }

  /** The messages of a channel's log, oldest first, with the fields they imply filled in. */
  List<Item<Message>> messages(ServerChannel channel) {
    List<Item<Message>> out = new ArrayList<>();
    for (ServerChannel.Entry e : channel.entries()) {
      ProtocolMessage pm = e.message;
      if (pm.action() != Action.MESSAGE || !included(e)) {
        continue;
      }
      long timestamp = pm.timestampMillis() == null ? 0 : pm.timestampMillis();
      for (int i = 0; i < pm.messages().size(); i++) {
        Message m = pm.messages().get(i);
        Message.Builder b = m.toBuilder();
        if (m.id() == null) {
          b.id(pm.id() + ":" + i); // TM2a
        }
        if (m.connectionId() == null) {
          b.connectionId(pm.connectionId()); // TM2c
        }
        if (m.timestampMillis() == 0) {
          b.timestampMillis(timestamp); // TM2f
        }
        out.add(new Item<>(new Paging.Position(e.seq, i), b.build()));
      }
    }
    return out;
  }

  /** The presence events of a channel's log, oldest first. */
  List<Item<PresenceMessage>> presence(ServerChannel channel) {
    List<Item<PresenceMessage>> out = new ArrayList<>();
    for (ServerChannel.Entry e : channel.entries()) {
      ProtocolMessage pm = e.message;
      if (pm.action() != Action.PRESENCE || !included(e)) {
        continue;
      }
      for (int i = 0; i < pm.presence().size(); i++) {
        out.add(new Item<>(new Paging.Position(e.seq, i), pm.presence().get(i)));
      }
    }
    return out;
  }

  private boolean included(ServerChannel.Entry e) {
    long t = e.message.timestampMillis() == null ? 0 : e.message.timestampMillis();
    return e.seq <= untilSeq && t >= startMillis && t <= endMillis;
  }

  /**
   * Takes this query's page of items.
   *
   * @param epoch the server epoch, which every cursor carries
   * @throws RefusedException 40011 for a cursor this server did not make
   */
  <T> Paging.Page<Item<T>> select(List<Item<T>> items, String epoch) throws RefusedException {
    return Paging.page(items, Item::position, backwards, limit, cursor, epoch);
  }

  /**
   * Adds the Link headers of a page taken with {@link #select}.
   *
   * @param word the last segment of the request path
   */
  void links(RestResponse res, String word, Paging.Page<?> page) {
    Paging.links(res, word, linkParams, cursor, page);
  }
}
