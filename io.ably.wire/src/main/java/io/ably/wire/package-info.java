/**
 * The ProtocolMessage model and its codecs. Internal to the client: exported only to
 * {@code io.ably.engine} and {@code io.ably.itest}; may change without notice.
 */
package io.ably.wire;
