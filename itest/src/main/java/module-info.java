/**
 * The testkit: a local Ably-compatible server for offline tests, with fault injection, plus the
 * project's integration, interoperability and packaging tests.
 */
module io.ably.itest {
  requires transitive io.ably.api;
  requires io.ably.wire;
  requires io.ably.jmx;
  requires java.management;
  requires com.alibaba.fastjson2;
  requires msgpack.core;
  requires jmespath.core;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;

  exports io.ably.itest;
}
