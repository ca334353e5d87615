package io.ably.engine.internal;

import io.ably.api.ChannelMode;
import io.ably.api.ChannelOptions;
import io.ably.api.ErrorInfo;
import io.ably.api.state.ChannelState;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's cross-thread boundary for one channel, as {@link PublishedState} and {@link
 * Counters} are for the client: an immutable snapshot of the channel's state, replaced by the
 * event loop on every change, and single-writer counters ({@link CounterSlots}). Readers on any
 * thread never block.
 */
public final class ChannelCounters {
  private static final int PUBLISHED = 0;
  private static final int ACKNOWLEDGED = 1;
  private static final int REFUSED = 2;
  private static final int RECEIVED = 3;
  private static final int ATTACHES = 4;
  private static final int CONTINUITY_LOSSES = 5;
  private static final int PRESENCE_EVENTS = 6;
  private static final int PRESENCE_MEMBERS = 7;
  private static final int BACKFILLS = 8;
  private static final int MESSAGES_BACKFILLED = 9;
  private static final int HOLES_REPORTED = 10;

  /**
   * What {@code Channel}'s getters return.
   *
   * @param state the state
   * @param errorReason the latest reason, or {@code null}
   * @param options the channel's options
   * @param params the params granted, empty before ATTACHED
   * @param modes the modes granted, empty before ATTACHED
   */
  public record Snapshot(
      ChannelState state,
      ErrorInfo errorReason,
      ChannelOptions options,
      Map<String, String> params,
      Set<ChannelMode> modes) {}

  private volatile Snapshot snapshot;
  private volatile String channelSerial;
  /** Whether the presence set is synced (RTP13); written by the loop only. */
  private volatile boolean presenceSynced;
  /** The counters, by the slot constants above; written by the loop only. */
  private final CounterSlots slots = new CounterSlots(11);
  private final LongAdder listenerErrors = new LongAdder();

  /**
   * Creates the boundary of a new channel.
   *
   * @param options its options
   */
  public ChannelCounters(ChannelOptions options) {
    snapshot = new Snapshot(ChannelState.INITIALIZED, null, options, Map.of(), Set.of());
  }

  /**
   * Publishes a new snapshot. Event loop only.
   *
   * @param next the snapshot
   */
  public void publish(Snapshot next) {
    snapshot = next;
  }

  /**
   * Returns the latest snapshot. Any thread.
   *
   * @return the snapshot
   */
  public Snapshot get() {
    return snapshot;
  }

  /**
   * Records the channel's latest channelSerial (RTL15b). Event loop only.
   *
   * @param serial the serial, or {@code null} once cleared
   */
  public void channelSerial(String serial) {
    channelSerial = serial;
  }

  /**
   * Returns the channel's latest channelSerial. Any thread.
   *
   * @return the serial, or {@code null}
   */
  public String channelSerial() {
    return channelSerial;
  }

  /**
   * Records whether the presence set is synced (RTP13). Event loop only.
   *
   * @param synced true once a sync ended or the channel attached without presence
   */
  public void presenceSynced(boolean synced) {
    presenceSynced = synced;
  }

  /**
   * Returns whether the presence set is synced (RTP13). Any thread.
   *
   * @return the latest value the loop recorded
   */
  public boolean presenceSynced() {
    return presenceSynced;
  }

  /**
   * Counts messages handed to the transport. Event loop only.
   *
   * @param n how many
   */
  public void published(int n) {
    slots.add(PUBLISHED, n);
  }

  /**
   * Counts acknowledged messages. Event loop only.
   *
   * @param n how many
   */
  public void acknowledged(int n) {
    slots.add(ACKNOWLEDGED, n);
  }

  /**
   * Counts refused messages. Event loop only.
   *
   * @param n how many
   */
  public void refused(int n) {
    slots.add(REFUSED, n);
  }

  /**
   * Counts received messages. Event loop only.
   *
   * @param n how many
   */
  public void received(int n) {
    slots.add(RECEIVED, n);
  }

  /** Counts an attachment. Event loop only. */
  public void attached() {
    slots.add(ATTACHES, 1);
  }

  /**
   * Counts presence events delivered to the channel's presence listeners, and records the number
   * of members present now. Event loop only.
   *
   * @param events how many events
   * @param members the members present now
   */
  public void presence(int events, int members) {
    slots.add(PRESENCE_EVENTS, events);
    slots.set(PRESENCE_MEMBERS, members);
  }

  /**
   * Returns the presence events emitted so far. Any thread.
   *
   * @return the count
   */
  public long presenceEvents() {
    return slots.get(PRESENCE_EVENTS);
  }

  /**
   * Returns the members present at the last change. Any thread.
   *
   * @return the count
   */
  public long presenceMembers() {
    return slots.get(PRESENCE_MEMBERS);
  }

  /** Counts a continuity loss. Event loop only. */
  public void continuityLost() {
    slots.add(CONTINUITY_LOSSES, 1);
  }

  /**
   * Counts a finished backfill and the messages it delivered. Event loop only.
   *
   * @param messages the messages recovered from history
   */
  public void backfilled(long messages) {
    slots.add(BACKFILLS, 1);
    slots.add(MESSAGES_BACKFILLED, messages);
  }

  /** Counts a gap a backfill could not fill whole, reported to the listeners. Event loop only. */
  public void holeReported() {
    slots.add(HOLES_REPORTED, 1);
  }

  /**
   * Returns finished backfills.
   *
   * @return the count
   */
  public long backfills() {
    return slots.get(BACKFILLS);
  }

  /**
   * Returns messages recovered from history by backfills.
   *
   * @return the count
   */
  public long messagesBackfilled() {
    return slots.get(MESSAGES_BACKFILLED);
  }

  /**
   * Returns gaps reported because a backfill could not fill them whole.
   *
   * @return the count
   */
  public long holesReported() {
    return slots.get(HOLES_REPORTED);
  }

  /** Counts a subscriber callback that threw. Any thread. */
  public void listenerError() {
    listenerErrors.increment();
  }

  /**
   * Returns messages handed to the transport.
   *
   * @return the count
   */
  public long published() {
    return slots.get(PUBLISHED);
  }

  /**
   * Returns acknowledged messages.
   *
   * @return the count
   */
  public long acknowledged() {
    return slots.get(ACKNOWLEDGED);
  }

  /**
   * Returns refused messages.
   *
   * @return the count
   */
  public long refused() {
    return slots.get(REFUSED);
  }

  /**
   * Returns received messages.
   *
   * @return the count
   */
  public long received() {
    return slots.get(RECEIVED);
  }

  /**
   * Returns attachments.
   *
   * @return the count
   */
  public long attaches() {
    return slots.get(ATTACHES);
  }

  /**
   * Returns continuity losses.
   *
   * @return the count
   */
  public long continuityLosses() {
    return slots.get(CONTINUITY_LOSSES);
  }

  /**
   * Returns subscriber callbacks that threw.
   *
   * @return the count
   */
  public long listenerErrors() {
    return listenerErrors.sum();
  }
}
