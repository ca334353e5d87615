/**
 * JMX management of Ably clients: MXBeans with open types only, reading a client's published state
 * and counters; operations enqueue on the client's event loop and return at once.
 */
module io.ably.jmx {
  requires io.ably.api;
  requires java.management;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;
}
