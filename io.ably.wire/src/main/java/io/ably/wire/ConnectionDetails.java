package io.ably.wire;

/**
 * The details the server sends in CONNECTED (CD1, CD2). Every field may be absent ({@code null}).
 *
 * @param clientId the identity bound to the connection; {@code *} may act as anyone (CD2a)
 * @param connectionKey the private key used to resume (CD2b)
 * @param maxMessageSize bytes (CD2c)
 * @param maxFrameSize bytes (CD2d)
 * @param maxInboundRate messages per second from the client (CD2e)
 * @param maxOutboundRate messages per second to the client
 * @param connectionStateTtlMillis how long the server keeps state after abrupt loss (CD2f)
 * @param maxIdleIntervalMillis the longest server silence, 0 for unlimited (CD2h)
 * @param serverId for debugging (CD2g)
 * @param siteCode the connected site (CD2j)
 * @param objectsGcGracePeriodMillis LiveObjects tombstone grace period (CD2i)
 */
public record ConnectionDetails(
    String clientId,
    String connectionKey,
    Long maxMessageSize,
    Long maxFrameSize,
    Long maxInboundRate,
    Long maxOutboundRate,
    Long connectionStateTtlMillis,
    Long maxIdleIntervalMillis,
    String serverId,
    String siteCode,
    Long objectsGcGracePeriodMillis) {}
