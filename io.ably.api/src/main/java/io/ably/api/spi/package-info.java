/**
 * The service interface between the API and an engine that implements it.
 *
 * @since 0.1
 */
@Export
@Version("0.3.0")
package io.ably.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
