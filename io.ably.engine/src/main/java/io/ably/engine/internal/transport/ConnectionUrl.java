package io.ably.engine.internal.transport;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WebSocket URL of one connection attempt (PROTOCOL.md §1.1–1.4): scheme, host, explicit port,
 * a {@code /} path and the query parameters of RTN2. Pure: no I/O except the loopback check of a
 * literal address.
 */
public final class ConnectionUrl {
  /**
   * The protocol version this client implements fully (CSV2, RTN2f): 5 brings the serials of
   * acknowledged messages in ACK {@code res}; 6 only adds LiveObjects changes, which this client
   * does not implement.
   */
  public static final int PROTOCOL_VERSION = 5;

  /** This library's version, as it appears in the agent string. */
  public static final String LIBRARY_VERSION = "0.1.0";

  private ConnectionUrl() {}

  /** How the connection authenticates: a key (basic) or a token. */
  public sealed interface Credential {}

  /**
   * Basic authentication with an API key.
   *
   * @param key {@code appId.keyId:keySecret}
   */
  public record KeyCredential(String key) implements Credential {
    @Override
    public String toString() {
      return "KeyCredential[***]";
    }
  }

  /**
   * Token authentication.
   *
   * @param token the token
   */
  public record TokenCredential(String token) implements Credential {
    @Override
    public String toString() {
      return "TokenCredential[***]";
    }
  }

  /** Which key, if any, continues an earlier connection. */
  public enum Continuation {
    /** A fresh connection. */
    NONE,
    /** {@code resume}: the transport of a connection in this client was lost (RTN15b1). */
    RESUME,
    /** {@code recover}: a recovery key from another client instance (RTN16k). */
    RECOVER
  }

  /**
   * Builds the URL of one attempt.
   *
   * @param options the client options
   * @param host the host of this attempt (primary or fallback)
   * @param credential how to authenticate
   * @param continuation whether to resume or recover
   * @param connectionKey the key to resume or recover with, or {@code null} for NONE
   * @return the URL
   * @throws AblyException 40103 when basic auth would be sent without TLS to a non-loopback host
   *     (RSA1); 40106 when there is no credential
   */
  public static URI build(
      ClientOptions options, String host, Credential credential, Continuation continuation,
      String connectionKey) {
    if (credential == null) {
      throw AblyException.of(ErrorCode.NO_AUTH_METHOD, "no key or token to connect with (RSC1b)");
    }
    if (credential instanceof KeyCredential && !options.tls() && !isLoopback(host)) {
      throw AblyException.of(
          ErrorCode.INSECURE_BASIC_AUTH,
          "basic authentication with a key needs TLS; host " + host + " is not a loopback address (RSA1)");
    }
    Map<String, String> params = params(options, credential, continuation, connectionKey);
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      query.append(query.length() == 0 ? "" : "&")
          .append(encode(e.getKey()))
          .append('=')
          .append(encode(e.getValue()));
    }
    int port = options.tls() ? options.tlsPort() : options.port();
    String hostPart = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create(
        (options.tls() ? "wss://" : "ws://") + hostPart + ":" + port + "/?" + query);
  }

  /**
   * The query parameters of an attempt, in order (RTN2, RTC1f): auth, {@code v}, {@code format},
   * {@code echo}, {@code resume}/{@code recover}, {@code clientId}, {@code heartbeats}, then the
   * user's transport params (which win over defaults of the same name), then {@code agent}.
   *
   * @param options the client options
   * @param credential how to authenticate
   * @param continuation whether to resume or recover
   * @param connectionKey the key to resume or recover with
   * @return the parameters, unencoded
   */
  public static Map<String, String> params(
      ClientOptions options, Credential credential, Continuation continuation, String connectionKey) {
    Map<String, String> p = new LinkedHashMap<>();
    if (credential instanceof KeyCredential k) {
      p.put("key", k.key()); // RTN2e
    } else if (credential instanceof TokenCredential t) {
      p.put("accessToken", t.token()); // RTN2e, RSA3c
    }
    p.put("v", Integer.toString(PROTOCOL_VERSION)); // RTN2f
    p.put("format", options.useBinaryProtocol() ? "msgpack" : "json"); // RTN2a
    if (!options.echoMessages()) {
      p.put("echo", "false"); // RTN2b
    }
    if (continuation == Continuation.RESUME && connectionKey != null) {
      p.put("resume", connectionKey); // RTN15b1
    } else if (continuation == Continuation.RECOVER && connectionKey != null) {
      p.put("recover", connectionKey); // RTN16k
    }
    if (options.clientId() != null) {
      p.put("clientId", options.clientId()); // RTN2d
    }
    // Ask for protocol HEARTBEATs: every frame then counts as activity for the idle rule (RTN23b).
    p.put("heartbeats", "true");
    p.putAll(options.transportParams()); // RTC1f1: user params win
    p.put("agent", agent(options)); // RSC7d3
    return p;
  }

  /**
   * The agent string (RSC7d): this library, the JVM, then the user's extra entries (RSC7d6).
   *
   * @param options the client options
   * @return for example {@code ably-jvm/0.1.0 jre/17.0.15 my-app/1.0}
   */
  public static String agent(ClientOptions options) {
    StringBuilder sb = new StringBuilder("ably-jvm/").append(LIBRARY_VERSION);
    sb.append(" jre/").append(System.getProperty("java.version", "unknown"));
    for (Map.Entry<String, String> e : options.agents().entrySet()) {
      sb.append(' ').append(e.getKey());
      if (!e.getValue().isEmpty()) {
        sb.append('/').append(e.getValue());
      }
    }
    return sb.toString();
  }

  /**
   * Tells whether a host is a loopback address without a DNS lookup: {@code localhost}, or a
   * literal address in 127.0.0.0/8 or {@code ::1}.
   *
   * @param host a host name or literal address
   * @return {@code true} for loopback
   */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean literal = h.matches("[0-9.]+") || h.contains(":");
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
