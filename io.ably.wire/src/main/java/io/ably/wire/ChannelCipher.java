package io.ably.wire;

import io.ably.api.AblyException;
import io.ably.api.CipherParams;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.internal.Checks;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-CBC cipher of one channel (RSE1, RSL5): encrypts a payload to {@code IV ∥ ciphertext}
 * with PKCS#7 padding and a fresh 16-byte IV per message, and decrypts that form back.
 *
 * <p>Not thread-safe: it reuses one {@link Cipher} and one IV buffer. One instance per channel,
 * confined to the event loop that owns the channel.
 */
public final class ChannelCipher {
  /** The AES block size and IV length, in bytes. */
  public static final int BLOCK_SIZE = 16;

  private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";
  private static final String TOKEN_PREFIX = "cipher+";

  private final CipherParams params;
  private final String encodingToken;
  private final SecretKeySpec key;
  private final IvSource ivSource;
  private final Cipher cipher;
  /** Scratch for the next IV; copied into each payload. */
  private final byte[] iv = new byte[BLOCK_SIZE];

  /** Where the IV of each encrypted message comes from. */
  @FunctionalInterface
  public interface IvSource {
    /**
     * Fills the array with the next IV.
     *
     * @param iv an array of {@link #BLOCK_SIZE} bytes to overwrite
     */
    void nextIv(byte[] iv);
  }

  private ChannelCipher(CipherParams params, IvSource ivSource) {
    this.params = params;
    this.encodingToken = TOKEN_PREFIX + params.cipherName();
    this.key = new SecretKeySpec(params.key(), "AES");
    this.ivSource = ivSource;
    try {
      this.cipher = Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " is not available in this JDK", e);
    }
  }

  /**
   * Creates a cipher that takes each IV from a new {@link SecureRandom}.
   *
   * @param params the key and algorithm
   * @return the cipher
   * @throws AblyException (40003) if {@code params} is {@code null}
   */
  public static ChannelCipher of(CipherParams params) {
    return of(params, new SecureRandom()::nextBytes);
  }

  /**
   * Creates a cipher with a given IV source, for tests that need a known IV.
   *
   * @param params the key and algorithm
   * @param ivSource fills each IV
   * @return the cipher
   * @throws AblyException (40003) if an argument is {@code null}
   */
  public static ChannelCipher of(CipherParams params, IvSource ivSource) {
    return new ChannelCipher(Checks.notNull(params, "params"), Checks.notNull(ivSource, "ivSource"));
  }

  /**
   * Returns the parameters.
   *
   * @return the key and algorithm
   */
  public CipherParams params() {
    return params;
  }

  /**
   * Returns the token this cipher adds to an {@code encoding}.
   *
   * @return {@code cipher+aes-128-cbc} or {@code cipher+aes-256-cbc}
   */
  public String encodingToken() {
    return encodingToken;
  }

  /**
   * Encrypts a payload (RSL5b).
   *
   * @param plaintext the bytes, not modified
   * @return a new array: the 16-byte IV followed by the ciphertext
   */
  public byte[] encrypt(byte[] plaintext) {
    ivSource.nextIv(iv);
    int cipherLength = (plaintext.length / BLOCK_SIZE + 1) * BLOCK_SIZE;
    byte[] out = new byte[BLOCK_SIZE + cipherLength];
    System.arraycopy(iv, 0, out, 0, BLOCK_SIZE);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      int written = cipher.doFinal(plaintext, 0, plaintext.length, out, BLOCK_SIZE);
      if (written != cipherLength) {
        throw new IllegalStateException(
            "AES-CBC wrote " + written + " bytes, expected " + cipherLength);
      }
    } catch (GeneralSecurityException e) {
      // A valid AES key and IV cannot fail here; a JDK provider that does is broken.
      throw new AblyException(
          ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "cannot encrypt with " + params.cipherName()), e);
    }
    return out;
  }

  /**
   * Decrypts a payload of the form {@code IV ∥ ciphertext}.
   *
   * <p>CBC carries no authentication: a wrong key is detected only by invalid padding, so about
   * one wrong-key payload in 256 decrypts without error to meaningless bytes.
   *
   * @param payload the IV followed by the ciphertext, not modified
   * @return a new array holding the plaintext
   * @throws AblyException (40013) if the payload is not a whole number of blocks of at least 32
   *     bytes, or its padding is invalid (wrong key or corrupted data)
   */
  public byte[] decrypt(byte[] payload) {
    if (payload.length < 2 * BLOCK_SIZE || payload.length % BLOCK_SIZE != 0) {
      throw AblyException.of(
          ErrorCode.INVALID_MESSAGE_DATA,
          "cannot decrypt " + params.cipherName() + " payload: " + payload.length
              + " bytes is not an IV and a whole number of 16-byte blocks");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(payload, 0, BLOCK_SIZE));
      return cipher.doFinal(payload, BLOCK_SIZE, payload.length - BLOCK_SIZE);
    } catch (GeneralSecurityException e) {
      throw new AblyException(
          ErrorInfo.of(
              ErrorCode.INVALID_MESSAGE_DATA,
              "cannot decrypt " + params.cipherName() + " payload (wrong key or corrupted data): "
                  + e.getMessage()),
          e);
    }
  }

  /** Names the algorithm; never shows the key. */
  @Override
  public String toString() {
    return "ChannelCipher[" + params.cipherName() + "]";
  }
}
