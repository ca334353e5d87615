/**
 * The Ably wire protocol: the ProtocolMessage model, its JSON and MessagePack codecs and the
 * payload encoding chain (utf-8, json, base64, AES-CBC).
 *
 * <p>Not an API: exported only to the engine and to the testkit, and to OSGi only with a mandatory
 * attribute. No Netty type is used here.
 */
module io.ably.wire {
  requires transitive io.ably.api;
  requires com.alibaba.fastjson2;
  requires msgpack.core;
  requires static org.osgi.annotation.bundle;
  requires static org.osgi.annotation.versioning;

  exports io.ably.wire to io.ably.engine, io.ably.itest;
}
