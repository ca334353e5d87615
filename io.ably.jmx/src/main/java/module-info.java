/**
 * JMX management of Ably clients: MXBeans with open types only, reading a client's published state
 * and counters; operations hand a task to the client and return at once.
 */
module io.ably.jmx {
  requires transitive io.ably.api;
  requires transitive java.management;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;

  exports io.ably.jmx;
}
