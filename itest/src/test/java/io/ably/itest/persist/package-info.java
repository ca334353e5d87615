/**
 * Persistent subscriptions across real process restarts (issue #18): a subscriber process is killed
 * with SIGKILL in the middle of a stream and started again, within and beyond the connection-state
 * TTL.
 */
package io.ably.itest.persist;
