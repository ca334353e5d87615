/**
 * MXBeans for JConsole and any JMX console: {@link io.ably.jmx.AblyJmx#register} exposes a client
 * as {@code io.ably:type=RealtimeClient,name=<client>} ({@link io.ably.jmx.RealtimeClientMXBean})
 * and each of its channels as {@code io.ably:type=RealtimeChannel,client=<client>,name=<channel>}
 * ({@link io.ably.jmx.RealtimeChannelMXBean}).
 *
 * @since 0.1
 */
@Export
@Version("0.2.0")
package io.ably.jmx;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
