package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.itest.TestKey;
import io.ably.itest.server.ServerConductor.RefusedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who a request authenticated as (RSA1–RSA4, RSA7, RSA15).
 *
 * @param keyName the key, directly or through a token
 * @param clientId the identified client id, {@code *}, or {@code null}
 * @param capability what it may do
 * @param token the token used, or {@code null} for basic auth
 * @param expiresMillis token expiry, 0 for basic auth
 */
record Credentials(
    String keyName, String clientId, Capability capability, String token, long expiresMillis) {

  /** Authenticates a realtime connection from its query parameters or Authorization header. */
  static Credentials authenticate(ServerConductor server, ConnectParams p) throws RefusedException {
    if (p.key() != null) {
      return basic(server, p.key(), p.clientId());
    }
    if (p.accessToken() != null) {
      return fromToken(server, p.accessToken(), p.clientId());
    }
    if (p.authorization() != null) {
      return fromAuthorizationHeader(server, p.authorization(), p.clientId());
    }
    throw refused(ErrorCode.INVALID_CREDENTIALS, "no key or token given");
  }

  /** Authenticates an {@code Authorization: Basic …} or {@code Bearer …} header. */
  static Credentials fromAuthorizationHeader(
      ServerConductor server, String header, String requestedClientId) throws RefusedException {
    int space = header.indexOf(' ');
    String scheme = space < 0 ? header : header.substring(0, space);
    String value = space < 0 ? "" : header.substring(space + 1).strip();
    if (scheme.equalsIgnoreCase("Basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw refused(ErrorCode.INVALID_CREDENTIAL, "malformed Basic credentials");
      }
      return basic(server, decoded, requestedClientId);
    }
    if (scheme.equalsIgnoreCase("Bearer")) {
      // Both SDKs base64-encode the token; a raw token (a JWT, say) is used verbatim (RSA3b).
      String token = value;
      try {
        token = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        token = value;
      }
      if (server.tokens.find(token) == null && server.tokens.find(value) != null) {
        token = value;
      }
      return fromToken(server, token, requestedClientId);
    }
    throw refused(ErrorCode.INVALID_CREDENTIAL, "unsupported Authorization scheme " + scheme);
  }

  /** Basic auth with {@code keyName:secret}. */
  static Credentials basic(ServerConductor server, String keyStr, String requestedClientId)
      throws RefusedException {
    int colon = keyStr.indexOf(':');
    if (colon <= 0) {
      throw refused(ErrorCode.INVALID_CREDENTIAL, "malformed key");
    }
    String keyName = keyStr.substring(0, colon);
    TestKey key = server.key(keyName);
    if (key == null) {
      throw refused(ErrorCode.NOT_FOUND, "no key " + keyName + " in this app");
    }
    byte[] given = keyStr.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, key.keySecret().getBytes(StandardCharsets.UTF_8))) {
      throw refused(ErrorCode.INVALID_CREDENTIALS, "invalid key secret");
    }
    if ("*".equals(requestedClientId)) {
      throw refused(ErrorCode.INVALID_CLIENT_ID, "clientId * is not allowed with basic auth");
    }
    return new Credentials(keyName, requestedClientId, server.keyCapability(keyName), null, 0);
  }

  /** Token auth with a token this server issued. */
  static Credentials fromToken(ServerConductor server, String token, String requestedClientId)
      throws RefusedException {
    IssuedToken issued = server.tokens.find(token);
    if (issued == null || server.key(issued.keyName()) == null) {
      // A token of a key that was since removed (its app deleted) is no longer recognised.
      throw refused(ErrorCode.TOKEN_UNRECOGNISED, "token not recognised");
    }
    if (issued.expiresMillis() <= server.nowMillis()) {
      throw refused(ErrorCode.TOKEN_EXPIRED, "token expired");
    }
    String clientId = issued.clientId();
    if (requestedClientId != null && !requestedClientId.equals(clientId)) {
      if (!"*".equals(clientId)) {
        throw refused(
            ErrorCode.INCOMPATIBLE_CREDENTIALS,
            "clientId " + requestedClientId + " is incompatible with the token's " + clientId);
      }
      clientId = requestedClientId;
    }
    return new Credentials(
        issued.keyName(), clientId, issued.capability(), token, issued.expiresMillis());
  }

  static RefusedException refused(ErrorCode code, String message) {
    return new RefusedException(ErrorInfo.of(code, message));
  }
}
