/**
 * The connection state machine (RTN), free of Netty and of any I/O: signals in, next state plus
 * effects out. Internal to the engine; may change without notice.
 *
 * <p>{@link io.ably.engine.internal.connection.ConnectionStateMachine} is the core; a conductor on
 * the client's event loop feeds it {@link io.ably.engine.internal.connection.ConnectionSignal}s
 * stamped with the loop's clock, keeps the returned
 * {@link io.ably.engine.internal.connection.MachineState}, and applies the
 * {@link io.ably.engine.internal.connection.ConnectionEffect}s in order.
 * {@link io.ably.engine.internal.connection.RealtimeHosts} resolves hosts and port from the options
 * (REC1, REC2).
 */
package io.ably.engine.internal.connection;
