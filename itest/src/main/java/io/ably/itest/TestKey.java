package io.ably.itest;


/**
 * An API key the testkit server accepts: {@code appId.keyId:secret} with a capability.
 *
 * @param keyName {@code appId.keyId}
 * @param keySecret the secret
 * @param capability capability JSON, for example {@code {"*":["*"]}}
 */
public record TestKey(String keyName, String keySecret, String capability) {
  /** Validates the fields. */
  public TestKey {
    Args.notNull(keyName, "keyName");
    Args.notNull(keySecret, "keySecret");
    Args.notNull(capability, "capability");
    Args.check(
        keyName.indexOf('.') > 0 && keyName.indexOf(':') < 0,
        "keyName must be appId.keyId, was " + keyName);
  }

  /**
   * Parses {@code appId.keyId:secret}, with all operations allowed.
   *
   * @param keyStr the key
   * @return the key
   */
  public static TestKey parse(String keyStr) {
    Args.notNull(keyStr, "key");
    int colon = keyStr.indexOf(':');
    Args.check(colon > 0, "key must be appId.keyId:secret, was " + keyStr);
    return new TestKey(
        keyStr.substring(0, colon), keyStr.substring(colon + 1), "{\"*\":[\"*\"]}");
  }

  /**
   * Returns a copy with another capability.
   *
   * @param capabilityJson capability JSON
   * @return the copy
   */
  public TestKey withCapability(String capabilityJson) {
    return new TestKey(keyName, keySecret, capabilityJson);
  }

  /**
   * Returns the key as clients take it.
   *
   * @return {@code keyName:keySecret}
   */
  public String keyStr() {
    return keyName + ":" + keySecret;
  }

  /**
   * Returns the app id.
   *
   * @return the part of the key name before the dot
   */
  public String appId() {
    return keyName.substring(0, keyName.indexOf('.'));
  }

  /** Shows the key name and capability, never the secret. */
  @Override
  public String toString() {
    return "TestKey[" + keyName + ", " + capability + "]";
  }
}
