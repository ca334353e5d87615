/**
 * The public API of the Ably realtime client for the JVM.
 *
 * <p>This module depends on the JDK alone: no Netty, JSON or MessagePack type appears in any of its
 * signatures. Applications {@code requires io.ably.api}; the engine that implements it is found at
 * run time.
 *
 * @since 0.1
 */
module io.ably.api {
  // Annotation-only OSGi dependencies: read by bnd at build time, never needed at run time.
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;

  exports io.ably.api;
  exports io.ably.api.message;
  exports io.ably.api.filter;
  exports io.ably.api.event;
  exports io.ably.api.state;
  exports io.ably.api.spi;
  exports io.ably.api.rest;
  exports io.ably.api.auth;
  // Zero-copy access to message payloads for the codec and engine; not part of the API.
  exports io.ably.api.internal to io.ably.wire, io.ably.engine;

  uses io.ably.api.spi.RealtimeClientFactory;
}
