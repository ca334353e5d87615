package io.ably.jmx;

/**
 * A channel as JMX shows it ({@code io.ably:type=RealtimeChannel,client=<client>,name=<channel>}):
 * a point-in-time view of its state and counters, read from {@link
 * io.ably.api.Channel#metrics()} without blocking the client, and operations that return at once.
 * State changes are sent as {@link javax.management.AttributeChangeNotification}s of the attribute
 * {@code State}. Registered while the channel exists, by {@link AblyJmx#register}.
 *
 * @since 0.1
 */
public interface RealtimeChannelMXBean {
  /**
   * Returns the name of the client the channel belongs to.
   *
   * @return the client's name
   */
  String getClient();

  /**
   * Returns the channel's name.
   *
   * @return the name
   */
  String getName();

  /**
   * Returns the filter of a derived channel (RTS5): the JMESPath expression the service evaluates
   * for it, decoded from its {@code [filter=...]} name.
   *
   * @return the expression, or {@code null} for a channel that is not derived
   * @since 0.2
   */
  String getFilter();

  /**
   * Returns the channel state.
   *
   * @return a {@link io.ably.api.state.ChannelState} name
   */
  String getState();

  /**
   * Returns the reason of the latest state change that had one.
   *
   * @return {@code "[code/status] message"}, or {@code null}
   */
  String getErrorReason();

  /**
   * Returns the modes the service granted on the latest ATTACHED.
   *
   * @return {@link io.ably.api.ChannelMode} names, sorted; empty before the first ATTACHED
   */
  String[] getModes();

  /**
   * Returns the messages handed to the transport.
   *
   * @return the count
   */
  long getMessagesPublished();

  /**
   * Returns the published messages the service acknowledged.
   *
   * @return the count
   */
  long getMessagesAcknowledged();

  /**
   * Returns the published messages that were refused or failed.
   *
   * @return the count
   */
  long getMessagesRefused();

  /**
   * Returns the messages received and delivered to subscribers.
   *
   * @return the count
   */
  long getMessagesReceived();

  /**
   * Returns the times the channel became ATTACHED.
   *
   * @return the count
   */
  long getAttaches();

  /**
   * Returns the times the channel attached again without continuity.
   *
   * @return the count
   */
  long getContinuityLosses();

  /**
   * Returns the subscriber callbacks that threw.
   *
   * @return the count
   */
  long getListenerErrors();

  /**
   * Returns the number of members in the channel's presence set at its last change.
   *
   * @return the count
   * @since 0.1
   */
  long getPresenceMembers();

  /**
   * Returns the presence events the channel emitted (ENTER, UPDATE, PRESENT, LEAVE).
   *
   * @return the count
   * @since 0.1
   */
  long getPresenceEvents();

  /**
   * Returns the continuity losses a BACKFILL policy finished filling from history.
   *
   * @return the count
   * @since 0.3
   */
  long getBackfills();

  /**
   * Returns the messages recovered from history by backfills.
   *
   * @return the count
   * @since 0.3
   */
  long getMessagesBackfilled();

  /**
   * Returns the gaps a backfill could not fill whole and reported.
   *
   * @return the count
   * @since 0.3
   */
  long getHolesReported();

  /** Starts attaching; returns at once (the outcome shows in {@code State}). */
  void attach();

  /** Starts detaching; returns at once (the outcome shows in {@code State}). */
  void detach();
}
