/**
 * The REST client (RSC, RSL, RSP, TG, HP): publish, history, presence, stats, time, batch publish
 * and raw requests over HTTP, on the client's event loop, every operation returning a {@link
 * java.util.concurrent.CompletionStage}. Create a REST-only client with {@link
 * io.ably.api.Ably#rest(io.ably.api.ClientOptions)}, or reach the same operations from a realtime
 * client with {@link io.ably.api.RealtimeClient#rest()}.
 *
 * @since 0.2
 */
@Export
@Version("0.2.0")
package io.ably.api.rest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
