/**
 * The testkit server's implementation: Netty handlers and the state it owns on one loop. Not
 * exported; may change without notice.
 */
package io.ably.itest.server;
