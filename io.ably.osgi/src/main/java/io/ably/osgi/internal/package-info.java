/**
 * The bundle's activator, the engine extender, the factory service and the Config Admin managed
 * service factory. Internal: may change without notice; not exported to JPMS or OSGi.
 */
package io.ably.osgi.internal;
