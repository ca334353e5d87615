/**
 * The client: its conductor on the event loop, and the thread-safe objects users hold. Internal;
 * may change without notice.
 */
package io.ably.engine.internal.client;
