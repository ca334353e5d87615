/**
 * Typed events: Java records published and received as channel messages, the event name taken
 * from the class ({@link io.ably.api.event.EventName} or its simple name), the payload encoded by
 * an {@link io.ably.api.event.EventCodec} (JSON or MessagePack through the engine's codec, or
 * your own). Obtain a {@link io.ably.api.event.TypedChannel} with {@code channel.typed(Trade.class)}
 * or {@link io.ably.api.event.TypedChannel#of}.
 *
 * @since 0.2
 */
@Export
@Version("0.2.0")
package io.ably.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
