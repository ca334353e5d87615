package io.ably.itest.interop;

/** The SDK's two wire protocols ({@code ClientOptions.useBinaryProtocol}). */
enum Protocol {
  JSON(false),
  MSGPACK(true);

  final boolean binary;

  Protocol(boolean binary) {
    this.binary = binary;
  }
}
