package io.ably.benchmarks;

import io.ably.wire.WireFormat;

/**
 * Where and how every subject connects: the server's loopback address, the key, and the wire
 * format (MessagePack or JSON) all of them use, so that they exchange the same frames.
 *
 * @param host the server's loopback address
 * @param port the server's port
 * @param key the API key, {@code appId.keyId:secret}
 * @param format the wire format
 */
record Target(String host, int port, String key, WireFormat format) {

  /** The default key of the testkit server. */
  static final String DEFAULT_KEY = "testapp.key1:testsecret1";

  /** Whether the format is MessagePack. */
  boolean binary() {
    return format == WireFormat.MSGPACK;
  }
}
