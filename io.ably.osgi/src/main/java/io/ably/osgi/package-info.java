/**
 * The OSGi face of the client: {@link io.ably.osgi.AblyClientFactory}, the service bundles use to
 * create clients, and {@link io.ably.osgi.ClientProperties}, the property names shared by
 * {@link io.ably.osgi.AblyClientFactory#create(java.util.Map)} and Config Admin configurations of
 * the factory PID {@value io.ably.osgi.ClientProperties#FACTORY_PID}.
 *
 * @since 0.1
 */
@Export
@Version("0.1.0")
package io.ably.osgi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
