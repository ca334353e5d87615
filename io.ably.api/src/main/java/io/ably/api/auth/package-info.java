/**
 * Token authentication (RSA, TK, TE, TD): the values a backend and a client exchange to
 * authenticate without the client holding an API key ({@link io.ably.api.auth.TokenParams},
 * {@link io.ably.api.auth.TokenRequest}, {@link io.ably.api.auth.TokenDetails}), the
 * {@link io.ably.api.auth.AuthCallback} a client obtains tokens through, and the {@link
 * io.ably.api.auth.Auth} operations of a client ({@code client.auth()}).
 *
 * @since 0.3
 */
@Export
@Version("0.3.0")
package io.ably.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
