/**
 * The testkit: a local Ably-compatible server ({@link io.ably.itest.AblyTestServer}) with fault
 * injection ({@link io.ably.itest.Faults}), for testing offline. Also runnable standalone with
 * {@link io.ably.itest.LocalServerMain}.
 *
 * @since 0.1
 */
@Export
@Version("0.1.0")
package io.ably.itest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
