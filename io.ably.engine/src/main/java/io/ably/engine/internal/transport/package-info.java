/**
 * The realtime transport: the WebSocket URL and its parameters, and (to come) the Netty pipeline
 * that carries ProtocolMessages. Internal; may change without notice.
 */
package io.ably.engine.internal.transport;
