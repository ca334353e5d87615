package io.ably.api;

/**
 * What a channel does when it loses continuity: it was attached, and attached again without the
 * service's RESUMED flag (RTL12, RTL15, RTN15c7), so messages published in between may not have
 * reached this client. Set per channel with {@link ChannelOptions.Builder#continuity}.
 *
 * @since 0.3
 */
public enum ContinuityPolicy {
  /**
   * Reports the loss to the channel's continuity listeners ({@link Channel#onContinuityLoss}) and
   * carries on; the application decides what to do. The default, and what every Ably client does.
   * Costs nothing.
   */
  NOTIFY,
  /**
   * Fills the gap from the channel's history: reads history up to the new attach point ({@code
   * untilAttach}, RTL10b), backwards, until it meets the last message delivered before the loss,
   * and delivers what it found in order, before any message received since; those wait meanwhile
   * (at most {@value ChannelOptions#DEFAULT_BACKFILL_HOLD_LIMIT} by default, then the newest are
   * dropped and reported). No message is delivered twice: the channel remembers the ids of the
   * messages it delivered recently. Continuity listeners hear of the loss only if history could not
   * cover the whole gap (history expired, or could not be read), with a {@link
   * io.ably.api.state.ContinuityGap} that says exactly what was and was not recovered. Costs one or
   * more REST history requests per loss and a short delay of the live stream during each.
   */
  BACKFILL,
  /**
   * Fails on the first loss instead of continuing with a hole: the continuity listeners get the
   * change with a reason of code 90003 ({@link ErrorCode#CHANNEL_CONTINUITY_LOST}), every {@link
   * java.util.concurrent.Flow.Subscriber} of the channel gets {@code onError} with an {@link
   * AblyException} of that code, the channel's message listeners are removed, and the channel
   * detaches. Subscribing again attaches it afresh.
   */
  FAIL
}
