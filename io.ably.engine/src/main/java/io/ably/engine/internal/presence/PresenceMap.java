package io.ably.engine.internal.presence;

import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The members present on one channel, kept up to date from PRESENCE and SYNC protocol messages
 * (RTP2, RTP18, RTP19). Pure: every method returns the presence events to emit, in order, and does
 * no I/O. Owned by the channel on the client's event loop; not thread-safe.
 *
 * <p>Members are keyed by {@link PresenceMessage#memberKey()} (RTP2). An incoming message replaces
 * the stored one only if it is newer (RTP2a, RTP2b): by {@code msgSerial} then index parsed from
 * the ids {@code connectionId:msgSerial:index} when both ids start with their own connection id
 * (RTP2b2), otherwise by timestamp, a tie going to the incoming message (RTP2b1, RTP2b1a). An id
 * that starts with its connection id but does not parse is treated like a synthesised one.
 *
 * <p>A sync starts with {@link #startSync()} (ATTACHED with HAS_PRESENCE) or with a SYNC message
 * of a new sequence (RTP18a, which replaces a sync in progress), and ends with the SYNC whose
 * cursor is empty or that has no channel serial (RTP18b, RTP18c). While it runs, a LEAVE is stored
 * as ABSENT so that an older PRESENT arriving later is discarded (RTP2h2); at its end the ABSENT
 * entries are dropped without events, and the members that were present when it started and were
 * not named by any message since are removed with a synthesised LEAVE each (RTP19).
 */
public final class PresenceMap {
  /** memberKey to the newest message, stored as PRESENT, or ABSENT during a sync; in arrival order. */
  private final Map<String, PresenceMessage> members = new LinkedHashMap<>();

  /** Keys present when the running sync started and not named since; null when no sync runs. */
  private Set<String> residual;

  /** Sequence id of the running sync, or null if unknown (started by ATTACHED) or none runs. */
  private String syncSequenceId;

  /** Whether a sync has ended since the set was last cleared or a sync last started. */
  private boolean syncComplete;

  /** Creates an empty map, with no sync completed. */
  public PresenceMap() {}

  /**
   * Fills the fields a presence message inherits from its protocol message (TP3a id
   * {@code <id>:<index>}, TP3d connectionId, TP3g timestamp) where they are absent.
   *
   * @param protocolId the protocol message's id, or null
   * @param connectionId the protocol message's connection id, or null
   * @param timestampMillis the protocol message's timestamp, 0 if none
   * @param messages the presence messages in protocol order
   * @return the filled messages
   */
  public static List<PresenceMessage> inherit(
      String protocolId, String connectionId, long timestampMillis, List<PresenceMessage> messages) {
    List<PresenceMessage> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      PresenceMessage m = messages.get(i);
      String id = m.id() == null && protocolId != null ? protocolId + ":" + i : m.id();
      String conn = m.connectionId() == null ? connectionId : m.connectionId();
      long ts = m.timestampMillis() == 0 ? timestampMillis : m.timestampMillis();
      out.add(
          new PresenceMessage(id, m.action(), m.clientId(), conn, m.data(), m.encoding(), m.extras(), ts));
    }
    return out;
  }

  /**
   * Applies the messages of a PRESENCE protocol message (RTP2c, RTP2d, RTP2h).
   *
   * @param messages presence messages with their inherited fields filled
   * @return the events to emit, in order
   */
  public List<PresenceMessage> onPresence(List<PresenceMessage> messages) {
    List<PresenceMessage> events = new ArrayList<>();
    for (PresenceMessage m : messages) {
      apply(m, events);
    }
    return events;
  }

  /**
   * Applies a SYNC protocol message (RTP18): starts a sync if its sequence is new, applies its
   * members, and ends the sync if its cursor is empty.
   *
   * @param channelSerial the SYNC's channel serial {@code sequenceId:cursor}, or null for a sync
   *     complete in one message (RTP18c)
   * @param messages presence messages with their inherited fields filled
   * @param nowMillis the local time, for the timestamps of synthesised LEAVEs
   * @return the events to emit, in order
   */
  public List<PresenceMessage> onSync(String channelSerial, List<PresenceMessage> messages, long nowMillis) {
    String sequenceId = null;
    String cursor = "";
    if (channelSerial != null) {
      int colon = channelSerial.indexOf(':');
      sequenceId = colon < 0 ? channelSerial : channelSerial.substring(0, colon);
      cursor = colon < 0 ? "" : channelSerial.substring(colon + 1);
    }
    if (residual == null) {
      startSync(); // RTP18: the service may start a sync at any time
      syncSequenceId = sequenceId;
    } else if (sequenceId != null && !sequenceId.equals(syncSequenceId)) {
      if (syncSequenceId != null) {
        startSync(); // RTP18a: a new sequence replaces the sync in progress
      }
      syncSequenceId = sequenceId;
    }
    List<PresenceMessage> events = new ArrayList<>();
    for (PresenceMessage m : messages) {
      apply(m, events);
    }
    if (cursor.isEmpty()) { // RTP18b, RTP18c
      endSync(nowMillis, events);
    }
    return events;
  }

  /**
   * Starts a sync (RTP1: ATTACHED with HAS_PRESENCE), or restarts the running one: every member
   * present now must be named again before it ends (RTP19).
   */
  public void startSync() {
    residual = new TreeSet<>();
    for (Map.Entry<String, PresenceMessage> e : members.entrySet()) {
      if (e.getValue().action() == PresenceAction.PRESENT) {
        residual.add(e.getKey());
      }
    }
    syncSequenceId = null;
    syncComplete = false;
  }

  /**
   * The channel attached without HAS_PRESENCE: no member remains, each one leaves with a
   * synthesised LEAVE (RTP19a), and the set counts as synced.
   *
   * @param nowMillis the local time, for the timestamps of the LEAVEs
   * @return the synthesised LEAVEs, in member key order
   */
  public List<PresenceMessage> leaveAll(long nowMillis) {
    startSync();
    List<PresenceMessage> events = new ArrayList<>();
    endSync(nowMillis, events);
    return events;
  }

  /** Empties the set without events and abandons any sync (RTP5a: DETACHED or FAILED). */
  public void clear() {
    members.clear();
    residual = null;
    syncSequenceId = null;
    syncComplete = false;
  }

  /**
   * Returns whether a sync is running.
   *
   * @return true between the start and the end of a sync
   */
  public boolean syncInProgress() {
    return residual != null;
  }

  /**
   * Returns whether the set is synced: a sync ended, or the channel attached without presence,
   * since the set was last cleared and no sync has started since.
   *
   * @return true if the members are known to be complete
   */
  public boolean syncComplete() {
    return syncComplete;
  }

  /**
   * Returns the members present now, as PRESENT messages, in the order they were first stored.
   *
   * @return an unmodifiable snapshot
   */
  public List<PresenceMessage> members() {
    List<PresenceMessage> out = new ArrayList<>(members.size());
    for (PresenceMessage m : members.values()) {
      if (m.action() == PresenceAction.PRESENT) {
        out.add(m);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Returns the number of members present now.
   *
   * @return the count of PRESENT entries
   */
  public int size() {
    int n = 0;
    for (PresenceMessage m : members.values()) {
      if (m.action() == PresenceAction.PRESENT) {
        n++;
      }
    }
    return n;
  }

  private void apply(PresenceMessage m, List<PresenceMessage> events) {
    if (m.clientId() == null || m.connectionId() == null || m.action() == PresenceAction.ABSENT) {
      return; // not a member's message: nothing to key it by, or nothing it could mean
    }
    String key = m.memberKey();
    if (residual != null) {
      residual.remove(key); // RTP19: named during the sync, so not residual
    }
    PresenceMessage existing = members.get(key);
    if (existing != null && !newer(m, existing)) {
      return; // RTP2a: stale
    }
    if (m.action() == PresenceAction.LEAVE) {
      if (residual != null) {
        members.put(key, withAction(m, PresenceAction.ABSENT)); // RTP2h2
      } else {
        members.remove(key); // RTP2h1
      }
      if (existing != null && existing.action() == PresenceAction.PRESENT) {
        events.add(m);
      }
    } else {
      members.remove(key); // keep arrival order of the newest message
      members.put(key, withAction(m, PresenceAction.PRESENT)); // RTP2d
      events.add(m);
    }
  }

  private void endSync(long nowMillis, List<PresenceMessage> events) {
    for (String key : residual) { // RTP19: residual members leave, in key order
      PresenceMessage gone = members.remove(key);
      if (gone != null && gone.action() == PresenceAction.PRESENT) {
        events.add(
            new PresenceMessage(
                null,
                PresenceAction.LEAVE,
                gone.clientId(),
                gone.connectionId(),
                gone.data(),
                gone.encoding(),
                gone.extras(),
                Math.max(0, nowMillis)));
      }
    }
    for (Iterator<PresenceMessage> it = members.values().iterator(); it.hasNext(); ) {
      if (it.next().action() == PresenceAction.ABSENT) {
        it.remove(); // RTP2h2b: dropped without events
      }
    }
    residual = null;
    syncSequenceId = null;
    syncComplete = true;
  }

  /**
   * Whether an incoming message is newer than a stored one (RTP2b).
   *
   * @param incoming the incoming message
   * @param existing the stored message
   * @return true if the incoming one replaces the stored one
   */
  static boolean newer(PresenceMessage incoming, PresenceMessage existing) {
    long[] a = order(incoming);
    long[] b = order(existing);
    if (a == null || b == null) { // RTP2b1: a synthesised message, compare timestamps
      return incoming.timestampMillis() >= existing.timestampMillis(); // RTP2b1a
    }
    if (a[0] != b[0]) { // RTP2b2: msgSerial, then index
      return a[0] > b[0];
    }
    return a[1] > b[1];
  }

  /** {msgSerial, index} from an id {@code connectionId:msgSerial:index}, or null if it is not one. */
  private static long[] order(PresenceMessage m) {
    String id = m.id();
    String conn = m.connectionId();
    if (id == null || conn == null || !id.startsWith(conn) || id.length() <= conn.length()
        || id.charAt(conn.length()) != ':') {
      return null;
    }
    String rest = id.substring(conn.length() + 1);
    int colon = rest.indexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      return new long[] {
        Long.parseLong(rest.substring(0, colon)), Long.parseLong(rest.substring(colon + 1))
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static PresenceMessage withAction(PresenceMessage m, PresenceAction action) {
    return new PresenceMessage(
        m.id(), action, m.clientId(), m.connectionId(), m.data(), m.encoding(), m.extras(),
        m.timestampMillis());
  }
}
