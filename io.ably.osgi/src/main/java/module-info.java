/**
 * OSGi integration: the {@link io.ably.osgi.AblyClientFactory} service, clients created from Config
 * Admin configurations of the factory PID {@code io.ably.client}, and (beside the jar) a Karaf
 * features repository for the whole stack.
 *
 * <p>A bundle, not something to put on a module path: its activator needs an OSGi framework, so the
 * OSGi APIs are {@code requires static}.
 */
module io.ably.osgi {
  requires transitive io.ably.api;
  requires io.ably.jmx;
  requires static org.osgi.framework;
  requires static org.osgi.service.cm;
  requires static org.osgi.util.tracker;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;

  exports io.ably.osgi;
}
