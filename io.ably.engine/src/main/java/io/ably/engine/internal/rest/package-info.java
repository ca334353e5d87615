/**
 * The REST client: HTTP/1.1 on Netty's HTTP codec on the client's event loop, with a keep-alive
 * pool per host, host fallback (RSC15), auth headers, content negotiation, and the REST
 * operations and paginated results built on them. Internal: may change without notice.
 */
package io.ably.engine.internal.rest;
