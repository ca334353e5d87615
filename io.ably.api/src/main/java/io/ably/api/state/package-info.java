/**
 * Connection and channel states, named as in the Ably specification.
 *
 * @since 0.1
 */
@Export
@Version("0.2.0")
package io.ably.api.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
