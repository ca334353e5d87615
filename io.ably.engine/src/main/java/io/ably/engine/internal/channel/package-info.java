/**
 * The channel state machine (RTL), free of Netty and of any I/O: signals in, next state plus
 * effects out. Internal to the engine; may change without notice.
 *
 * <p>{@link io.ably.engine.internal.channel.ChannelStateMachine} is the core; a conductor on the
 * client's event loop keeps one {@link io.ably.engine.internal.channel.ChannelMachineState} per
 * channel, feeds it {@link io.ably.engine.internal.channel.ChannelSignal}s stamped with the loop's
 * clock, and applies the returned {@link io.ably.engine.internal.channel.ChannelEffect}s in order.
 */
package io.ably.engine.internal.channel;
