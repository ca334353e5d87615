package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.itest.TestKey;
import io.ably.itest.server.ServerConductor.RefusedException;
import io.ably.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /keys/{keyName}/requestToken} (RSA8a, PROTOCOL.md §7.2–7.3): exchanges a signed
 * TokenRequest, or the TokenParams of a request authenticated with the key itself, for
 * TokenDetails. Remembers the nonces it accepted for as long as their timestamps are acceptable.
 * State loop only.
 */
final class TokenRequests {
  /** How far a TokenRequest timestamp may be from the server's clock (RSA9). */
  static final long TIMESTAMP_WINDOW_MILLIS = 10 * 60_000L;

  /** Shortest nonce accepted (RSA9c). */
  static final int MIN_NONCE_LENGTH = 16;

  private final ServerConductor server;
  /** {@code keyName:nonce} to the time it was accepted, oldest first. */
  private final Map<String, Long> usedNonces = new LinkedHashMap<>();

  TokenRequests(ServerConductor server) {
    this.server = server;
  }

  /** Serves the request; the response is always JSON, as every SDK asks. */
  RestResponse requestToken(RestRequest r, String keyName) throws RefusedException {
    Map<String, Object> body = RestFormat.readObject(RestFormat.requestFormat(r.contentType()), r.body());
    TestKey key;
    String clientId;
    if (body.get("mac") != null) {
      key = verifySigned(keyName, body);
      clientId = text(body.get("clientId"));
    } else {
      // TokenParams from a client holding the key (RSA8a): basic auth only.
      Credentials credentials = RestAuth.authenticate(server, r);
      if (credentials.token() != null) {
        throw Credentials.refused(
            ErrorCode.BASIC_AUTH_REQUIRED, "a token request without mac needs basic auth");
      }
      if (!credentials.keyName().equals(keyName)) {
        throw Credentials.refused(
            ErrorCode.INCOMPATIBLE_CREDENTIALS, "the credentials are for another key");
      }
      key = server.key(keyName);
      clientId = text(body.get("clientId"));
      if (clientId.isEmpty() && credentials.clientId() != null) {
        clientId = credentials.clientId(); // the X-Ably-ClientId of the request
      }
    }
    Capability keyCapability = server.keyCapability(key.keyName());
    String capabilityJson = text(body.get("capability"));
    Capability capability =
        capabilityJson.isEmpty() ? keyCapability : Capability.parse(capabilityJson);
    if (!capability.isSubsetOf(keyCapability)) {
      throw Credentials.refused(
          ErrorCode.OPERATION_NOT_PERMITTED,
          "requested capability " + capabilityJson + " exceeds the key's " + keyCapability.json());
    }
    long ttlMillis = ttl(body.get("ttl"));
    IssuedToken issued =
        server.tokens.issue(
            key.keyName(), clientId.isEmpty() ? null : clientId, capability, ttlMillis,
            server.nowMillis());
    server.stats.add(
        ServerConductor.appIdOf(key.keyName()), "apiRequests.tokenRequests.succeeded", 1,
        server.nowMillis());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("token", issued.token());
    details.put("keyName", issued.keyName());
    details.put("issued", issued.issuedMillis());
    details.put("expires", issued.expiresMillis());
    details.put("capability", issued.capability().json());
    if (issued.clientId() != null) {
      details.put("clientId", issued.clientId());
    }
    return RestResponse.of(200, WireFormat.JSON, details);
  }

  /**
   * Checks a signed TokenRequest: key, MAC (RSA9g), timestamp window (40104), nonce (40105).
   *
   * @return the key it is signed with
   */
  private TestKey verifySigned(String pathKeyName, Map<String, Object> body) throws RefusedException {
    String keyName = text(body.get("keyName"));
    if (keyName.isEmpty()) {
      keyName = pathKeyName;
    }
    if (!keyName.equals(pathKeyName)) {
      throw Credentials.refused(
          ErrorCode.INCOMPATIBLE_CREDENTIALS, "the TokenRequest is for key " + keyName);
    }
    TestKey key = server.key(keyName);
    if (key == null) {
      throw Credentials.refused(ErrorCode.NOT_FOUND, "no key " + keyName);
    }
    String ttl = text(body.get("ttl"));
    String nonce = text(body.get("nonce"));
    String timestamp = text(body.get("timestamp"));
    String mac = text(body.get("mac"));
    String capability = text(body.get("capability"));
    String clientId = text(body.get("clientId"));
    boolean valid =
        macMatches(key.keySecret(), signedText(keyName, ttl, capability, clientId, timestamp, nonce), mac)
            // ably-java signs a ttl of 0 as the empty string (PROTOCOL.md §7.3).
            || (ttl.equals("0")
                && macMatches(
                    key.keySecret(), signedText(keyName, "", capability, clientId, timestamp, nonce), mac));
    if (!valid) {
      throw Credentials.refused(
          ErrorCode.INVALID_CREDENTIALS, "invalid mac: the TokenRequest was not signed with " + keyName);
    }
    long now = server.nowMillis();
    if (timestamp.isEmpty()) {
      throw Credentials.refused(ErrorCode.INVALID_REQUEST_BODY, "the TokenRequest has no timestamp");
    }
    long requestMillis = Paging.number(timestamp, "timestamp");
    if (Math.abs(now - requestMillis) > TIMESTAMP_WINDOW_MILLIS) {
      throw Credentials.refused(
          ErrorCode.TIMESTAMP_NOT_CURRENT,
          "Timestamp not current: " + requestMillis + " is more than 10 minutes from " + now);
    }
    if (nonce.length() < MIN_NONCE_LENGTH) {
      throw Credentials.refused(
          ErrorCode.INVALID_PARAMETER, "the nonce must have at least " + MIN_NONCE_LENGTH + " characters");
    }
    forgetOldNonces(now);
    if (usedNonces.putIfAbsent(keyName + ":" + nonce, now) != null) {
      throw Credentials.refused(ErrorCode.NONCE_REPLAYED, "Nonce value replayed: " + nonce);
    }
    return key;
  }

  /** A nonce older than twice the window cannot come with an acceptable timestamp again. */
  private void forgetOldNonces(long now) {
    Iterator<Long> it = usedNonces.values().iterator();
    while (it.hasNext() && it.next() < now - 2 * TIMESTAMP_WINDOW_MILLIS) {
      it.remove();
    }
  }

  /** The text a TokenRequest MAC signs: six fields, each followed by a newline (RSA9g). */
  static String signedText(
      String keyName, String ttl, String capability, String clientId, String timestamp, String nonce) {
    return keyName + '\n' + ttl + '\n' + capability + '\n' + clientId + '\n' + timestamp + '\n'
        + nonce + '\n';
  }

  private static boolean macMatches(String secret, String signed, String mac) {
    byte[] expected;
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      expected =
          Base64.getEncoder()
              .encode(hmac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    return MessageDigest.isEqual(expected, mac.getBytes(StandardCharsets.UTF_8));
  }

  /** A field as it was received: text verbatim, numbers in decimal, absent as empty (§7.3). */
  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Map<?, ?> || value instanceof java.util.List<?>) {
      return com.alibaba.fastjson2.JSON.toJSONString(value); // a capability sent as an object
    }
    return value.toString();
  }

  private long ttl(Object value) throws RefusedException {
    String text = text(value);
    long ttl = text.isEmpty() ? 0 : Paging.number(text, "ttl");
    if (ttl < 0) {
      throw Credentials.refused(ErrorCode.INVALID_PARAMETER, "ttl must not be negative");
    }
    return ttl == 0 ? server.config.defaultTokenTtl().toMillis() : ttl;
  }
}
