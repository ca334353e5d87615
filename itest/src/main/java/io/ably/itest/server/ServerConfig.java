package io.ably.itest.server;

import java.time.Duration;

/**
 * Settings of a testkit server.
 *
 * @param maxIdleInterval longest server silence before a HEARTBEAT (CD2h); 0 disables heartbeats
 * @param connectionStateTtl how long a dropped connection can be resumed (CD2f)
 * @param presenceLeaveDelay how long after an unclean drop members are made to leave
 * @param maxMessageSize largest publish, in bytes as TM6 counts them (CD2c)
 * @param maxFrameSize largest WebSocket frame, in bytes (CD2d)
 * @param historyLimit messages kept per channel for resume, rewind and history
 * @param defaultTokenTtl lifetime of a token requested without a ttl
 * @param serverId reported in connection details
 * @param historyTtl how long a message stays in a channel's log (for resume, rewind and history),
 *     on top of {@code historyLimit}; {@link Duration#ZERO} for no age limit
 */
public record ServerConfig(
    Duration maxIdleInterval,
    Duration connectionStateTtl,
    Duration presenceLeaveDelay,
    int maxMessageSize,
    int maxFrameSize,
    int historyLimit,
    Duration defaultTokenTtl,
    String serverId,
    Duration historyTtl) {

  /**
   * Settings without an age limit on history.
   *
   * @param maxIdleInterval longest server silence before a HEARTBEAT
   * @param connectionStateTtl how long a dropped connection can be resumed
   * @param presenceLeaveDelay how long after an unclean drop members are made to leave
   * @param maxMessageSize largest publish
   * @param maxFrameSize largest WebSocket frame
   * @param historyLimit messages kept per channel
   * @param defaultTokenTtl lifetime of a token requested without a ttl
   * @param serverId reported in connection details
   */
  public ServerConfig(
      Duration maxIdleInterval, Duration connectionStateTtl, Duration presenceLeaveDelay,
      int maxMessageSize, int maxFrameSize, int historyLimit, Duration defaultTokenTtl, String serverId) {
    this(maxIdleInterval, connectionStateTtl, presenceLeaveDelay, maxMessageSize, maxFrameSize,
        historyLimit, defaultTokenTtl, serverId, Duration.ZERO);
  }

  /** The defaults: the values the real service advertises. */
  public static final ServerConfig DEFAULTS =
      new ServerConfig(
          Duration.ofSeconds(15),
          Duration.ofMinutes(2),
          Duration.ofSeconds(15),
          65_536,
          524_288,
          200_000,
          Duration.ofHours(1),
          "testkit-1");
}
