package io.ably.itest.server;

/**
 * A token the server issued (TD1–TD6).
 *
 * @param token the token string
 * @param keyName the key it was issued for
 * @param issuedMillis issue time, ms since the epoch
 * @param expiresMillis expiry time, ms since the epoch
 * @param capability its capability
 * @param clientId its client id, {@code *}, or {@code null}
 */
record IssuedToken(
    String token,
    String keyName,
    long issuedMillis,
    long expiresMillis,
    Capability capability,
    String clientId) {}
