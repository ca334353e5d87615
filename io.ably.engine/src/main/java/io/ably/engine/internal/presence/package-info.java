/**
 * The presence set of a channel (RTP2, RTP18, RTP19), free of Netty and of any I/O: protocol
 * messages in, events to emit out. Internal to the engine; may change without notice.
 *
 * <p>{@link io.ably.engine.internal.presence.PresenceMap} is owned by a channel on the client's
 * event loop and touched by that thread only.
 */
package io.ably.engine.internal.presence;
