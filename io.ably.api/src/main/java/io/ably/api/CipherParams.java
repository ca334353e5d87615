package io.ably.api;

import io.ably.api.internal.Checks;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The key and algorithm that encrypt a channel's message payloads (RSE1, RSL5): AES in CBC mode
 * with PKCS#7 padding and a 128-bit or 256-bit key. Immutable; the key is copied in and out.
 *
 * @since 0.1
 */
public final class CipherParams {
  private final byte[] key;

  private CipherParams(byte[] key) {
    int bits = key.length * 8;
    Checks.check(
        bits == 128 || bits == 256,
        "cipher key must be 128 or 256 bits (RSE1e), was " + bits + " bits");
    this.key = key;
  }

  /**
   * Creates AES-CBC parameters from a raw key; the key length gives the algorithm (RSE1d).
   *
   * @param key a 16-byte or 32-byte key, copied
   * @return the parameters
   * @throws AblyException (40003) for any other key length
   */
  public static CipherParams aes(byte[] key) {
    return new CipherParams(Checks.notNull(key, "key").clone());
  }

  /**
   * Creates AES-CBC parameters from a key in base64 or base64url (RSE1c).
   *
   * @param base64Key the key
   * @return the parameters
   * @throws AblyException (40003) if the text is not base64 or the key length is wrong
   */
  public static CipherParams aes(String base64Key) {
    Checks.notNull(base64Key, "key");
    String standard = base64Key.replace('-', '+').replace('_', '/').strip();
    try {
      return new CipherParams(Base64.getDecoder().decode(standard));
    } catch (IllegalArgumentException e) {
      throw Checks.invalid("cipher key is not base64: " + e.getMessage());
    }
  }

  /**
   * Generates a random 256-bit key (RSE2a).
   *
   * @return the key bytes
   */
  public static byte[] generateKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /**
   * Returns the algorithm name as it appears in an {@code encoding}: {@code aes-128-cbc} or
   * {@code aes-256-cbc}.
   *
   * @return the name
   */
  public String cipherName() {
    return "aes-" + keyLength() + "-cbc";
  }

  /**
   * Returns the key length in bits.
   *
   * @return 128 or 256
   */
  public int keyLength() {
    return key.length * 8;
  }

  /**
   * Returns a copy of the key.
   *
   * @return the key bytes
   */
  public byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CipherParams other && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** Names the algorithm; never shows the key. */
  @Override
  public String toString() {
    return "CipherParams[" + cipherName() + "]";
  }
}
