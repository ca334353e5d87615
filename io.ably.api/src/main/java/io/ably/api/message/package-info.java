/**
 * Messages and presence messages: immutable values, validated and defensively copied.
 *
 * @since 0.1
 */
@Export
@Version("0.1.0")
package io.ably.api.message;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
