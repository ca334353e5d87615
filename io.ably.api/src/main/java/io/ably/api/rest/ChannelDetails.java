package io.ably.api.rest;

/**
 * A channel's status (RSL8, CHD, CHS, CHO, CHM): whether it is active and who is on it. Immutable.
 *
 * @param channelId the channel's name (CHD2a)
 * @param isActive whether the channel is active (CHS2a)
 * @param occupancy the occupancy metrics (CHO2a, CHM2)
 * @since 0.2
 */
public record ChannelDetails(String channelId, boolean isActive, Occupancy occupancy) {
  /**
   * The occupancy metrics of a channel (CHM2).
   *
   * @param connections connections attached
   * @param publishers connections attached with the publish mode
   * @param subscribers connections attached with the subscribe mode
   * @param presenceConnections connections attached with the presence mode
   * @param presenceMembers members present
   * @param presenceSubscribers connections attached with the presence-subscribe mode
   * @since 0.2
   */
  public record Occupancy(
      int connections,
      int publishers,
      int subscribers,
      int presenceConnections,
      int presenceMembers,
      int presenceSubscribers) {}
}
