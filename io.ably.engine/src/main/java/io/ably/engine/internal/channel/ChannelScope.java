package io.ably.engine.internal.channel;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import java.util.List;
import java.util.Objects;

/**
 * The data of one channel that outlives a state.
 *
 * @param channelSerial the last channelSerial received (RTL15b), or {@code null}; cleared on
 *     DETACHED and FAILED (RTL15b2)
 * @param attachSerial the channelSerial of the last ATTACHED without RESUMED (RTL15c), or {@code
 *     null}
 * @param errorReason the channel's errorReason (RTL4g), or {@code null}
 * @param connectionState the last connection state reported
 * @param pendingAttaches the user attach stages not yet completed, oldest first
 * @param pendingDetaches the user detach stages not yet completed, oldest first
 * @param lastId the last timer id handed out
 */
public record ChannelScope(
    String channelSerial,
    String attachSerial,
    ErrorInfo errorReason,
    ConnectionState connectionState,
    List<Long> pendingAttaches,
    List<Long> pendingDetaches,
    long lastId) {

  /** Copies the lists. */
  public ChannelScope {
    Objects.requireNonNull(connectionState, "connectionState");
    pendingAttaches = List.copyOf(pendingAttaches);
    pendingDetaches = List.copyOf(pendingDetaches);
  }
}
