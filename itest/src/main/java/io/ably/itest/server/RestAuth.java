package io.ably.itest.server;

import io.ably.api.ErrorCode;
import io.ably.itest.server.ServerConductor.RefusedException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Authentication and capability checks of REST requests (RSA1–RSA4, RSA7e2, PROTOCOL.md §7.1).
 * Stateless; runs on the state loop.
 */
final class RestAuth {
  private RestAuth() {}

  /**
   * Authenticates {@code Authorization: Basic base64(keyName:secret)} (with the clientId of
   * {@code X-Ably-ClientId}) or {@code Authorization: Bearer base64(token)}.
   *
   * @throws RefusedException 40101 without credentials, or the error the credentials earn
   */
  static Credentials authenticate(ServerConductor server, RestRequest r) throws RefusedException {
    String header = r.authorization();
    if (header == null || header.isBlank()) {
      throw Credentials.refused(
          ErrorCode.INVALID_CREDENTIALS, "no credentials: send Authorization: Basic or Bearer");
    }
    boolean basic = header.regionMatches(true, 0, "Basic ", 0, 6);
    return Credentials.fromAuthorizationHeader(server, header.strip(), basic ? clientId(r) : null);
  }

  /** The clientId of {@code X-Ably-ClientId}, base64 of its UTF-8 (RSA7e2), or {@code null}. */
  private static String clientId(RestRequest r) throws RefusedException {
    String value = r.clientIdHeader();
    if (value == null) {
      return null;
    }
    try {
      String clientId = new String(Base64.getDecoder().decode(value.strip()), StandardCharsets.UTF_8);
      if (clientId.isEmpty()) {
        throw Credentials.refused(ErrorCode.INVALID_CLIENT_ID, "X-Ably-ClientId is empty");
      }
      return clientId;
    } catch (IllegalArgumentException e) {
      throw Credentials.refused(ErrorCode.INVALID_CLIENT_ID, "X-Ably-ClientId is not base64");
    }
  }

  /**
   * Requires an operation on a channel.
   *
   * @throws RefusedException 40160 if the capability does not allow it
   */
  static void require(Credentials credentials, String channel, String operation)
      throws RefusedException {
    if (!credentials.capability().allows(channel, operation)) {
      throw denied(operation, channel);
    }
  }

  /**
   * Requires one of two operations on a channel.
   *
   * @throws RefusedException 40160 if the capability allows neither
   */
  static void requireEither(Credentials credentials, String channel, String op1, String op2)
      throws RefusedException {
    if (!credentials.capability().allows(channel, op1)
        && !credentials.capability().allows(channel, op2)) {
      throw denied(op1, channel);
    }
  }

  /**
   * Requires an operation that is not about one channel ({@code stats}): some resource of the
   * capability must allow it.
   *
   * @throws RefusedException 40160 if none does
   */
  static void requireAnywhere(Credentials credentials, String operation) throws RefusedException {
    if (!credentials.capability().allowsAnywhere(operation)) {
      throw Credentials.refused(
          ErrorCode.OPERATION_NOT_PERMITTED,
          "Unable to perform operation (" + operation + ") with the given capability");
    }
  }

  private static RefusedException denied(String operation, String channel) {
    return Credentials.refused(
        ErrorCode.OPERATION_NOT_PERMITTED,
        "Unable to perform channel operation (" + operation + ") on " + channel);
  }

  /** The identified clientId of the credentials, or {@code null} (anonymous or wildcard). */
  static String identifiedClientId(Credentials credentials) {
    String id = credentials.clientId();
    return id == null || id.equals("*") ? null : id;
  }
}
