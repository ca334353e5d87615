/**
 * Engine internals. Not exported; may change without notice.
 *
 * <p>Every mutable class here is confined to one client's event loop and marked
 * {@link io.ably.engine.internal.EventLoopConfined}; only the published-state and counters classes
 * may use volatile fields or atomics, and nothing takes a lock (checked by the architecture test).
 */
package io.ably.engine.internal;
