package io.ably.api.state;

import io.ably.api.ErrorInfo;

/**
 * What a {@link io.ably.api.ContinuityPolicy#BACKFILL} recovery did after a continuity loss, carried
 * by the {@link ChannelStateChange} that continuity listeners receive when the gap could not be
 * filled whole. Immutable.
 *
 * <p>The messages missing are those after {@code lastDeliveredId} and before {@code
 * firstRecoveredId} (or up to the attach point {@code attachSerial} when nothing was recovered),
 * plus {@code droppedLive} messages received after the attach point while the backfill ran, if the
 * hold buffer overflowed.
 *
 * @param lastDeliveredId the id of the last message delivered before the loss, or {@code null} if
 *     none was
 * @param lastDeliveredSerial that message's serial, or {@code null}
 * @param recovered how many messages history gave back and were delivered
 * @param firstRecoveredId the id of the oldest message recovered, or {@code null} if none was
 * @param firstRecoveredSerial that message's serial, or {@code null}
 * @param attachSerial the attach point the backfill read history up to
 * @param complete whether the whole gap was filled (then {@code droppedLive} is 0 and {@code error}
 *     null)
 * @param droppedLive messages received live during the backfill and dropped because the hold buffer
 *     was full
 * @param error why history could not be read, or {@code null}
 * @since 0.3
 */
public record ContinuityGap(
    String lastDeliveredId,
    String lastDeliveredSerial,
    long recovered,
    String firstRecoveredId,
    String firstRecoveredSerial,
    String attachSerial,
    boolean complete,
    long droppedLive,
    ErrorInfo error) {}
