/**
 * The OSGi proofs: the Karaf feature's bundles installed, resolved and started in an embedded
 * Apache Felix ({@code FelixIT}), and the feature installed in a real Karaf 4.4 booted from its
 * distribution ({@code KarafIT}); both create clients through {@code io.ably.osgi} that connect to
 * the testkit.
 */
package io.ably.itest.osgi;
