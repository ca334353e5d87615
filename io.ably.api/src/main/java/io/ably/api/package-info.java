/**
 * Errors and cipher settings shared by the whole client API.
 *
 * <p>Every failure the client reports is an {@link io.ably.api.AblyException} carrying an
 * {@link io.ably.api.ErrorInfo} whose code comes from {@link io.ably.api.ErrorCode}.
 *
 * @since 0.1
 */
@Export
@Version("0.3.0")
package io.ably.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
