/**
 * OSGi integration: a factory service, Config Admin configured clients and a Karaf feature.
 */
module io.ably.osgi {
  requires io.ably.api;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;
}
