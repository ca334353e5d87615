/**
 * Internal bridges from the API's value types to the codec and engine modules. Exported only to
 * {@code io.ably.wire} and {@code io.ably.engine}; may change without notice.
 */
package io.ably.api.internal;
