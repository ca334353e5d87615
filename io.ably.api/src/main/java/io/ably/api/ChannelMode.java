package io.ably.api;

/**
 * A capability a client asks for when it attaches to a channel (TB2d, RTL4l) and the subset the
 * service granted (RTL4m). Requesting none gets the service's defaults: {@link #PRESENCE}, {@link
 * #PUBLISH}, {@link #SUBSCRIBE} and {@link #PRESENCE_SUBSCRIBE}.
 *
 * @since 0.1
 */
public enum ChannelMode {
  /** Enter, update and leave presence. */
  PRESENCE,
  /** Publish messages. */
  PUBLISH,
  /** Receive messages. */
  SUBSCRIBE,
  /** Receive presence events. */
  PRESENCE_SUBSCRIBE,
  /** Publish annotations. */
  ANNOTATION_PUBLISH,
  /** Receive annotations. */
  ANNOTATION_SUBSCRIBE,
  /** Receive LiveObjects updates. */
  OBJECT_SUBSCRIBE,
  /** Publish LiveObjects updates. */
  OBJECT_PUBLISH
}
