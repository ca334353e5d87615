/**
 * The testkit: a local Ably-compatible server for offline tests, with fault injection, plus the
 * project's integration, interoperability and packaging tests.
 */
module io.ably.itest {
  requires io.ably.api;
  requires io.ably.wire;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;
}
