package io.ably.api;

import io.ably.api.state.ChannelState;

/**
 * A point-in-time view of one channel's state and counters, read without blocking the client's
 * event loop. Counters only grow, from the channel's creation. Immutable.
 *
 * @param client the client's name
 * @param name the channel name
 * @param state the channel state
 * @param messagesPublished messages handed to the transport (each message of a batch counts, and
 *     each presence message entering, updating or leaving)
 * @param messagesAcknowledged published messages the service acknowledged
 * @param messagesRefused published messages refused: NACKed, or failed before or after sending
 * @param messagesReceived messages received and delivered to the channel's subscribers
 * @param attaches times the channel became ATTACHED
 * @param continuityLosses times the channel re-attached without continuity (RTL12, RTL15)
 * @param listenerErrors subscriber callbacks that threw
 * @param presenceMembers members in the channel's presence set at its last change (RTP2)
 * @param presenceEvents presence events the channel emitted (ENTER, UPDATE, PRESENT, LEAVE)
 * @param backfills continuity losses the {@link ContinuityPolicy#BACKFILL} policy finished filling
 *     from history, whole or not (since 0.3)
 * @param messagesBackfilled messages recovered from history by those backfills and delivered
 *     (since 0.3)
 * @param holesReported backfills that could not fill the whole gap and reported it to the
 *     continuity listeners (since 0.3)
 * @since 0.1
 */
public record ChannelMetrics(
    String client,
    String name,
    ChannelState state,
    long messagesPublished,
    long messagesAcknowledged,
    long messagesRefused,
    long messagesReceived,
    long attaches,
    long continuityLosses,
    long listenerErrors,
    long presenceMembers,
    long presenceEvents,
    long backfills,
    long messagesBackfilled,
    long holesReported) {

  /**
   * Creates the metrics of a channel that never backfilled.
   *
   * @param client the client's name
   * @param name the channel name
   * @param state the channel state
   * @param messagesPublished messages handed to the transport
   * @param messagesAcknowledged published messages acknowledged
   * @param messagesRefused published messages refused
   * @param messagesReceived messages received
   * @param attaches times the channel became ATTACHED
   * @param continuityLosses times the channel re-attached without continuity
   * @param listenerErrors subscriber callbacks that threw
   * @param presenceMembers members in the presence set
   * @param presenceEvents presence events emitted
   */
  public ChannelMetrics(
      String client,
      String name,
      ChannelState state,
      long messagesPublished,
      long messagesAcknowledged,
      long messagesRefused,
      long messagesReceived,
      long attaches,
      long continuityLosses,
      long listenerErrors,
      long presenceMembers,
      long presenceEvents) {
    this(client, name, state, messagesPublished, messagesAcknowledged, messagesRefused,
        messagesReceived, attaches, continuityLosses, listenerErrors, presenceMembers,
        presenceEvents, 0, 0, 0);
  }
}
