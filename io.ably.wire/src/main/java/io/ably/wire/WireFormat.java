package io.ably.wire;

/** The two encodings of the protocol, chosen by the {@code format} connection parameter. */
public enum WireFormat {
  /** JSON, carried in WebSocket text frames; binary data travels as base64. */
  JSON("json", "application/json"),
  /** MessagePack, carried in WebSocket binary frames; binary data travels as is. */
  MSGPACK("msgpack", "application/x-msgpack");

  private final String paramValue;
  private final String mimeType;

  WireFormat(String paramValue, String mimeType) {
    this.paramValue = paramValue;
    this.mimeType = mimeType;
  }

  /**
   * Returns the value of the {@code format} query parameter.
   *
   * @return {@code json} or {@code msgpack}
   */
  public String paramValue() {
    return paramValue;
  }

  /**
   * Returns the HTTP content type.
   *
   * @return the MIME type
   */
  public String mimeType() {
    return mimeType;
  }

  /**
   * Tells whether frames are binary.
   *
   * @return {@code true} for MessagePack
   */
  public boolean binaryFrames() {
    return this == MSGPACK;
  }
}
