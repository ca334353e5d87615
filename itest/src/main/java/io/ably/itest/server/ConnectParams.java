package io.ably.itest.server;

import io.ably.wire.WireFormat;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * What a client asked for in its WebSocket upgrade request (PROTOCOL.md §1.2).
 *
 * @param format {@code format} param, MessagePack unless {@code json}
 * @param protocolVersion {@code v} param, 0 when absent
 * @param key basic-auth key ({@code key}), or {@code null}
 * @param accessToken token ({@code accessToken} or {@code access_token}), or {@code null}
 * @param authorization the {@code Authorization} header, or {@code null}
 * @param clientId requested {@code clientId}, or {@code null}
 * @param echo {@code false} only when {@code echo=false}
 * @param resume connection key to resume, or {@code null}
 * @param recover connection key to recover, or {@code null}
 */
record ConnectParams(
    WireFormat format,
    int protocolVersion,
    String key,
    String accessToken,
    String authorization,
    String clientId,
    boolean echo,
    String resume,
    String recover) {

  /** Parses the request URI and the Authorization header. */
  static ConnectParams parse(String uri, String authorization) {
    Map<String, List<String>> q = new QueryStringDecoder(uri).parameters();
    String token = first(q, "accessToken");
    if (token == null) {
      token = first(q, "access_token");
    }
    int version;
    try {
      String v = first(q, "v");
      version = v == null ? 0 : (int) Double.parseDouble(v);
    } catch (NumberFormatException e) {
      version = -1;
    }
    return new ConnectParams(
        "json".equals(first(q, "format")) ? WireFormat.JSON : WireFormat.MSGPACK,
        version,
        first(q, "key"),
        token,
        authorization,
        first(q, "clientId"),
        !"false".equals(first(q, "echo")),
        first(q, "resume"),
        first(q, "recover"));
  }

  private static String first(Map<String, List<String>> q, String name) {
    List<String> values = q.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
