package io.ably.api;

import io.ably.api.auth.AuthCallback;
import io.ably.api.auth.AuthMethod;
import io.ably.api.auth.TokenDetails;
import io.ably.api.auth.TokenParams;
import io.ably.api.internal.AuthUrls;
import io.ably.api.internal.Checks;
import java.lang.System.Logger.Level;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * How a client connects and behaves (TO3). Immutable; build one with {@link #builder()} or
 * {@link #forKey(String)}. Every interval is a {@link Duration}; every default is a
 * {@code DEFAULT_*} constant taken from the Ably specification.
 *
 * <p>{@link Builder#build()} checks every field and throws an {@link AblyException} that names the
 * field and the bad value: 40005 for a malformed key, 40012 for an invalid client id, 40003 for any
 * other invalid value.
 *
 * <h2>Threads</h2>
 *
 * Each client is bound to one Netty event-loop thread for its whole life; by default clients share
 * a small JVM-wide group of daemon threads ({@link Builder#eventLoopThreads(int)} gives a client
 * its own). Listeners are called, in order, on a per-client serial executor by default; with
 * {@link Builder#inlineCallbacks(boolean)} they run on the event-loop thread itself (lowest latency:
 * they must not block), and with {@link Builder#callbackExecutor(Executor)} on your executor.
 *
 * @since 0.1
 */
public final class ClientOptions {
  /** The primary domain when no endpoint, environment or host is given (REC1). */
  public static final String DEFAULT_ENDPOINT_HOST = "main.realtime.ably.net";
  /** Port without TLS (TO3k4). */
  public static final int DEFAULT_PORT = 80;
  /** Port with TLS (TO3k5). */
  public static final int DEFAULT_TLS_PORT = 443;
  /** Base delay of DISCONNECTED retries, before backoff and jitter (TO3l1, RTB1). */
  public static final Duration DEFAULT_DISCONNECTED_RETRY_TIMEOUT = Duration.ofSeconds(15);
  /** Delay of SUSPENDED retries (TO3l2). */
  public static final Duration DEFAULT_SUSPENDED_RETRY_TIMEOUT = Duration.ofSeconds(30);
  /** Timeout of realtime requests: connect, attach, detach, close, ping (TO3l11). */
  public static final Duration DEFAULT_REALTIME_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Base delay of re-attaching a SUSPENDED channel (TO3l7). */
  public static final Duration DEFAULT_CHANNEL_RETRY_TIMEOUT = Duration.ofSeconds(15);
  /** How long DISCONNECTED lasts before SUSPENDED, unless the server says otherwise (DF1a). */
  public static final Duration DEFAULT_CONNECTION_STATE_TTL = Duration.ofMinutes(2);
  /** TCP connect timeout of REST requests (TO3l3). */
  public static final Duration DEFAULT_HTTP_OPEN_TIMEOUT = Duration.ofSeconds(4);
  /** Whole-request timeout of REST requests (TO3l4). */
  public static final Duration DEFAULT_HTTP_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** How long a working fallback host is preferred (TO3l10). */
  public static final Duration DEFAULT_FALLBACK_RETRY_TIMEOUT = Duration.ofMinutes(10);
  /**
   * The longest a delivered position waits before the {@link #subscriptionStore()} is written.
   *
   * @since 0.3
   */
  public static final Duration DEFAULT_STORE_WRITE_DELAY = Duration.ofMillis(100);
  /**
   * How long a {@link #subscriptionStore()}'s state is worth keeping after its last write.
   *
   * @since 0.3
   */
  public static final Duration DEFAULT_STORE_EXPIRY = Duration.ofHours(24);
  /** The URL fetched before trying fallback hosts; its body must contain {@code yes} (REC3a). */
  public static final String DEFAULT_CONNECTIVITY_CHECK_URL =
      "https://internet-up.ably-realtime.com/is-the-internet-up.txt";
  /** Log level of the client's {@link System.Logger}. */
  public static final Level DEFAULT_LOG_LEVEL = Level.WARNING;
  /** Messages that may wait at once for an acknowledgement or for the connection, by default. */
  public static final int DEFAULT_MAX_QUEUED_MESSAGES = 10_000;
  /** Undelivered inbound messages above which the client stops reading the socket, by default. */
  public static final int DEFAULT_INBOUND_HIGH_WATER_MARK = 20_000;
  /** Undelivered inbound messages at or below which it reads again, by default. */
  public static final int DEFAULT_INBOUND_LOW_WATER_MARK = 5_000;

  private static final Pattern KEY = Pattern.compile("[^.:\\s]+\\.[^.:\\s]+:\\S+");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]+");

  private final String key;
  private final String token;
  private final String clientId;
  private final String endpoint;
  private final String environment;
  private final String host;
  private final int port;
  private final int tlsPort;
  private final boolean tls;
  private final List<String> fallbackHosts;
  private final boolean autoConnect;
  private final boolean useBinaryProtocol;
  private final boolean echoMessages;
  private final boolean queueMessages;
  private final int maxQueuedMessages;
  private final int inboundHighWaterMark;
  private final int inboundLowWaterMark;
  private final boolean addRequestIds;
  private final Duration disconnectedRetryTimeout;
  private final Duration suspendedRetryTimeout;
  private final Duration realtimeRequestTimeout;
  private final Duration channelRetryTimeout;
  private final Duration httpOpenTimeout;
  private final Duration httpRequestTimeout;
  private final Duration fallbackRetryTimeout;
  private final String recover;
  private final ProxyOptions proxy;
  private final Map<String, String> agents;
  private final Map<String, String> transportParams;
  private final int eventLoopThreads;
  private final boolean inlineCallbacks;
  private final Executor callbackExecutor;
  private final Level logLevel;
  private final String name;
  private final KeyStore trustStore;
  private final String connectivityCheckUrl;
  private final AuthCallback authCallback;
  private final String authUrl;
  private final AuthMethod authMethod;
  private final Map<String, String> authHeaders;
  private final Map<String, String> authParams;
  private final TokenDetails tokenDetails;
  private final boolean useTokenAuth;
  private final boolean queryTime;
  private final TokenParams defaultTokenParams;
  private final io.ably.api.spi.SubscriptionStore subscriptionStore;
  private final Duration storeWriteDelay;
  private final Duration storeExpiry;

  private ClientOptions(Builder b) {
    key = b.key;
    token = b.token;
    clientId = b.clientId;
    endpoint = b.endpoint;
    environment = b.environment;
    host = b.host;
    port = b.port;
    tlsPort = b.tlsPort;
    tls = b.tls;
    fallbackHosts = b.fallbackHosts;
    autoConnect = b.autoConnect;
    useBinaryProtocol = b.useBinaryProtocol;
    echoMessages = b.echoMessages;
    queueMessages = b.queueMessages;
    maxQueuedMessages = b.maxQueuedMessages;
    inboundHighWaterMark = b.inboundHighWaterMark;
    inboundLowWaterMark = b.inboundLowWaterMark;
    addRequestIds = b.addRequestIds;
    disconnectedRetryTimeout = b.disconnectedRetryTimeout;
    suspendedRetryTimeout = b.suspendedRetryTimeout;
    realtimeRequestTimeout = b.realtimeRequestTimeout;
    channelRetryTimeout = b.channelRetryTimeout;
    httpOpenTimeout = b.httpOpenTimeout;
    httpRequestTimeout = b.httpRequestTimeout;
    fallbackRetryTimeout = b.fallbackRetryTimeout;
    recover = b.recover;
    proxy = b.proxy;
    agents = Map.copyOf(b.agents);
    transportParams = Map.copyOf(b.transportParams);
    eventLoopThreads = b.eventLoopThreads;
    inlineCallbacks = b.inlineCallbacks;
    callbackExecutor = b.callbackExecutor;
    logLevel = b.logLevel;
    name = b.name;
    trustStore = b.trustStore;
    connectivityCheckUrl = b.connectivityCheckUrl;
    authCallback = b.authCallback;
    authUrl = b.authUrl;
    authMethod = b.authMethod;
    authHeaders = Map.copyOf(b.authHeaders);
    authParams = Map.copyOf(b.authParams);
    tokenDetails = b.tokenDetails;
    useTokenAuth = b.useTokenAuth;
    queryTime = b.queryTime;
    defaultTokenParams = b.defaultTokenParams;
    subscriptionStore = b.subscriptionStore;
    storeWriteDelay = b.storeWriteDelay;
    storeExpiry = b.storeExpiry;
  }

  /**
   * Returns an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns options with an API key and every default.
   *
   * @param key {@code appId.keyId:keySecret}
   * @return the options
   * @throws AblyException (40005) if the key is malformed
   */
  public static ClientOptions forKey(String key) {
    return builder().key(key).build();
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the API key.
   *
   * @return {@code appId.keyId:keySecret}, or {@code null}
   */
  public String key() {
    return key;
  }

  /**
   * Returns the key name: the part of the key before the colon.
   *
   * @return {@code appId.keyId}, or {@code null} without a key
   */
  public String keyName() {
    return key == null ? null : key.substring(0, key.indexOf(':'));
  }

  /**
   * Returns the static token (RSA4).
   *
   * @return the token, or {@code null}
   */
  public String token() {
    return token;
  }

  /**
   * Returns the client id (RSA7).
   *
   * @return the client id, or {@code null}
   */
  public String clientId() {
    return clientId;
  }

  /**
   * Returns the endpoint (REC1b).
   *
   * @return the endpoint, or {@code null}
   */
  public String endpoint() {
    return endpoint;
  }

  /**
   * Returns the environment (deprecated in the specification; REC1c).
   *
   * @return the environment, or {@code null}
   */
  public String environment() {
    return environment;
  }

  /**
   * Returns the explicit host for both REST and realtime (REC1d).
   *
   * @return the host, or {@code null}
   */
  public String host() {
    return host;
  }

  /**
   * Returns the port used without TLS.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the port used with TLS.
   *
   * @return the port
   */
  public int tlsPort() {
    return tlsPort;
  }

  /**
   * Tells whether TLS is used (TO3d).
   *
   * @return {@code true} by default
   */
  public boolean tls() {
    return tls;
  }

  /**
   * Returns the explicit fallback hosts (REC2a).
   *
   * @return the hosts, or {@code null} to use the specification's defaults
   */
  public List<String> fallbackHosts() {
    return fallbackHosts;
  }

  /**
   * Tells whether the client connects as soon as it is created (RTC1b).
   *
   * @return {@code true} by default
   */
  public boolean autoConnect() {
    return autoConnect;
  }

  /**
   * Tells whether MessagePack is used rather than JSON (TO3f).
   *
   * @return {@code true} by default
   */
  public boolean useBinaryProtocol() {
    return useBinaryProtocol;
  }

  /**
   * Tells whether this connection receives the messages it publishes (RTC1a).
   *
   * @return {@code true} by default
   */
  public boolean echoMessages() {
    return echoMessages;
  }

  /**
   * Tells whether messages published while not connected are queued (TO3g, RTL6c2).
   *
   * @return {@code true} by default
   */
  public boolean queueMessages() {
    return queueMessages;
  }

  /**
   * Returns how many published messages may wait at once, sent and not yet acknowledged or queued
   * for the connection or for the socket; a publish beyond it fails at once.
   *
   * @return the bound
   * @since 0.1
   */
  public int maxQueuedMessages() {
    return maxQueuedMessages;
  }

  /**
   * Returns how many received messages may wait for the application's callbacks before the client
   * stops reading from the socket (see {@link Builder#inboundHighWaterMark(int)}).
   *
   * @return the high-water mark
   * @since 0.2
   */
  public int inboundHighWaterMark() {
    return inboundHighWaterMark;
  }

  /**
   * Returns how few received messages may still wait for the application's callbacks when the
   * client reads from the socket again (see {@link Builder#inboundLowWaterMark(int)}).
   *
   * @return the low-water mark
   * @since 0.2
   */
  public int inboundLowWaterMark() {
    return inboundLowWaterMark;
  }

  /**
   * Tells whether every REST request carries a random {@code request_id} (TO3p, RSC7c), which
   * failed requests report in {@link ErrorInfo#requestId()}.
   *
   * @return {@code false} by default
   * @since 0.2
   */
  public boolean addRequestIds() {
    return addRequestIds;
  }

  /**
   * Returns the base delay of DISCONNECTED retries (TO3l1).
   *
   * @return the delay
   */
  public Duration disconnectedRetryTimeout() {
    return disconnectedRetryTimeout;
  }

  /**
   * Returns the delay of SUSPENDED retries (TO3l2).
   *
   * @return the delay
   */
  public Duration suspendedRetryTimeout() {
    return suspendedRetryTimeout;
  }

  /**
   * Returns the timeout of realtime requests (TO3l11).
   *
   * @return the timeout
   */
  public Duration realtimeRequestTimeout() {
    return realtimeRequestTimeout;
  }

  /**
   * Returns the base delay of re-attaching a SUSPENDED channel (TO3l7).
   *
   * @return the delay
   */
  public Duration channelRetryTimeout() {
    return channelRetryTimeout;
  }

  /**
   * Returns the TCP connect timeout of REST requests (TO3l3).
   *
   * @return the timeout
   */
  public Duration httpOpenTimeout() {
    return httpOpenTimeout;
  }

  /**
   * Returns the whole-request timeout of REST requests (TO3l4).
   *
   * @return the timeout
   */
  public Duration httpRequestTimeout() {
    return httpRequestTimeout;
  }

  /**
   * Returns how long a working fallback host is preferred (TO3l10).
   *
   * @return the duration
   */
  public Duration fallbackRetryTimeout() {
    return fallbackRetryTimeout;
  }

  /**
   * Returns the recovery key to recover a connection with (RTN16).
   *
   * @return the key, or {@code null}
   */
  public String recover() {
    return recover;
  }

  /**
   * Returns the HTTP CONNECT proxy.
   *
   * @return the proxy, or {@code null} for a direct connection
   */
  public ProxyOptions proxy() {
    return proxy;
  }

  /**
   * Returns extra agent entries, product to version (RSC7d6).
   *
   * @return the entries; a {@code null}-free, unmodifiable map (an empty version means none)
   */
  public Map<String, String> agents() {
    return agents;
  }

  /**
   * Returns extra connection parameters (RTC1f).
   *
   * @return the parameters, unmodifiable
   */
  public Map<String, String> transportParams() {
    return transportParams;
  }

  /**
   * Returns the number of threads of this client's own event-loop group.
   *
   * @return 0 (the default) to share the JVM-wide group
   */
  public int eventLoopThreads() {
    return eventLoopThreads;
  }

  /**
   * Tells whether listeners run on the event-loop thread itself.
   *
   * @return {@code false} by default
   */
  public boolean inlineCallbacks() {
    return inlineCallbacks;
  }

  /**
   * Returns the executor listeners run on.
   *
   * @return the executor, or {@code null} for the default per-client serial executor
   */
  public Executor callbackExecutor() {
    return callbackExecutor;
  }

  /**
   * Returns the level of the client's {@link System.Logger} messages.
   *
   * @return the level
   */
  public Level logLevel() {
    return logLevel;
  }

  /**
   * Returns the client's name, used in thread names, logs and JMX object names.
   *
   * @return the name, or {@code null} for a generated one
   */
  public String name() {
    return name;
  }

  /**
   * Returns the trust store TLS certificates are checked against.
   *
   * @return the store, or {@code null} for the JDK's default trust
   */
  public KeyStore trustStore() {
    return trustStore;
  }

  /**
   * Returns the URL fetched before fallback hosts are tried (REC3, RTN17j).
   *
   * @return an {@code http} or {@code https} URL
   */
  public String connectivityCheckUrl() {
    return connectivityCheckUrl;
  }

  /**
   * Returns where the client keeps its persistent subscriptions between runs: its recovery key
   * and the position of each channel created with {@link ChannelOptions.Builder#persistent}.
   *
   * @return the store, or {@code null} for none (the default)
   * @since 0.3
   */
  public io.ably.api.spi.SubscriptionStore subscriptionStore() {
    return subscriptionStore;
  }

  /**
   * Returns the longest a delivered position waits before the store is written: writes are
   * batched, so a crash redelivers at most the messages of this interval.
   *
   * @return {@link #DEFAULT_STORE_WRITE_DELAY} by default
   * @since 0.3
   */
  public Duration storeWriteDelay() {
    return storeWriteDelay;
  }

  /**
   * Returns how long stored state is worth keeping after its last write; older state is ignored
   * and deleted when a client starts.
   *
   * @return {@link #DEFAULT_STORE_EXPIRY} by default
   * @since 0.3
   */
  public Duration storeExpiry() {
    return storeExpiry;
  }

  /**
   * Returns the callback that obtains tokens (RSA8d, TO3j5).
   *
   * @return the callback, or {@code null}
   * @since 0.3
   */
  public AuthCallback authCallback() {
    return authCallback;
  }

  /**
   * Returns the URL that gives tokens (RSA8c, TO3j6).
   *
   * @return an {@code http} or {@code https} URL, or {@code null}
   * @since 0.3
   */
  public String authUrl() {
    return authUrl;
  }

  /**
   * Returns how the {@link #authUrl()} is requested (TO3j7).
   *
   * @return {@link AuthMethod#GET} by default
   * @since 0.3
   */
  public AuthMethod authMethod() {
    return authMethod;
  }

  /**
   * Returns the headers sent to the {@link #authUrl()} (TO3j8).
   *
   * @return the headers, unmodifiable
   * @since 0.3
   */
  public Map<String, String> authHeaders() {
    return authHeaders;
  }

  /**
   * Returns the parameters sent to the {@link #authUrl()} (TO3j9).
   *
   * @return the parameters, unmodifiable
   * @since 0.3
   */
  public Map<String, String> authParams() {
    return authParams;
  }

  /**
   * Returns the initial token with its details (TO3j3).
   *
   * @return the details, or {@code null}
   * @since 0.3
   */
  public TokenDetails tokenDetails() {
    return tokenDetails;
  }

  /**
   * Tells whether token authentication was asked for even with a key (RSA4, TO3j4).
   *
   * @return {@code false} by default
   * @since 0.3
   */
  public boolean useTokenAuth() {
    return useTokenAuth;
  }

  /**
   * Tells whether the client authenticates with tokens rather than with the key itself (RSA4):
   * with {@code useTokenAuth}, a token, token details, an {@code authCallback} or an {@code
   * authUrl}.
   *
   * @return {@code true} for token authentication
   * @since 0.3
   */
  public boolean usesTokenAuth() {
    return useTokenAuth || token != null || tokenDetails != null || authCallback != null || authUrl != null;
  }

  /**
   * Tells whether the client can obtain a new token when its token expires (RSA4a, RSA4b): it has
   * a key, an {@code authCallback} or an {@code authUrl}.
   *
   * @return {@code true} when tokens can be renewed
   * @since 0.3
   */
  public boolean canRenewToken() {
    return key != null || authCallback != null || authUrl != null;
  }

  /**
   * Tells whether the service's time is asked for before signing a TokenRequest (RSA9d, TO3j10).
   *
   * @return {@code false} by default
   * @since 0.3
   */
  public boolean queryTime() {
    return queryTime;
  }

  /**
   * Returns the token parameters used when none are given (RSA5, RSA6, TO3j11).
   *
   * @return the parameters; {@link TokenParams#empty()} by default
   * @since 0.3
   */
  public TokenParams defaultTokenParams() {
    return defaultTokenParams;
  }

  /**
   * Shows every field except secrets: the key secret, the token, proxy credentials, the authUrl's
   * query and the values of authHeaders and authParams.
   */
  @Override
  public String toString() {
    return "ClientOptions[keyName=" + keyName() + ", token=" + (token == null ? "none" : "***")
        + ", tokenDetails=" + (tokenDetails == null ? "none" : "***")
        + ", authCallback=" + (authCallback != null) + ", authUrl=" + AuthUrls.redacted(authUrl)
        + ", authMethod=" + authMethod + ", authHeaders=" + authHeaders.keySet()
        + ", authParams=" + authParams.keySet() + ", useTokenAuth=" + useTokenAuth
        + ", queryTime=" + queryTime + ", defaultTokenParams=" + defaultTokenParams
        + ", clientId=" + clientId + ", endpoint=" + endpoint + ", environment=" + environment
        + ", host=" + host + ", port=" + port + ", tlsPort=" + tlsPort + ", tls=" + tls
        + ", fallbackHosts=" + fallbackHosts + ", autoConnect=" + autoConnect
        + ", useBinaryProtocol=" + useBinaryProtocol + ", echoMessages=" + echoMessages
        + ", queueMessages=" + queueMessages + ", maxQueuedMessages=" + maxQueuedMessages + ", inboundHighWaterMark=" + inboundHighWaterMark + ", inboundLowWaterMark=" + inboundLowWaterMark + ", proxy=" + proxy + ", name=" + name + "]";
  }

  /**
   * An HTTP CONNECT proxy.
   *
   * @param host the proxy host
   * @param port the proxy port
   * @param username user for Basic proxy authentication, or {@code null}
   * @param password its password, or {@code null}
   */
  public record ProxyOptions(String host, int port, String username, String password) {
    /** Validates the fields. */
    public ProxyOptions {
      Checks.notNull(host, "proxy.host");
      Checks.check(port > 0 && port <= 65_535, "proxy.port must be 1-65535, was " + port);
      Checks.check(
          (username == null) == (password == null),
          "proxy.username and proxy.password must be given together");
    }

    /** Shows host and port, never the password. */
    @Override
    public String toString() {
      return "ProxyOptions[" + host + ":" + port + (username == null ? "" : ", user " + username) + "]";
    }
  }

  /** A builder of {@link ClientOptions}; not thread-safe. */
  public static final class Builder {
    private String key;
    private String token;
    private String clientId;
    private String endpoint;
    private String environment;
    private String host;
    private int port = DEFAULT_PORT;
    private int tlsPort = DEFAULT_TLS_PORT;
    private boolean tls = true;
    private List<String> fallbackHosts;
    private boolean autoConnect = true;
    private boolean useBinaryProtocol = true;
    private boolean echoMessages = true;
    private boolean queueMessages = true;
    private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
    private int inboundHighWaterMark = DEFAULT_INBOUND_HIGH_WATER_MARK;
    private int inboundLowWaterMark = DEFAULT_INBOUND_LOW_WATER_MARK;
    private boolean addRequestIds;
    private Duration disconnectedRetryTimeout = DEFAULT_DISCONNECTED_RETRY_TIMEOUT;
    private Duration suspendedRetryTimeout = DEFAULT_SUSPENDED_RETRY_TIMEOUT;
    private Duration realtimeRequestTimeout = DEFAULT_REALTIME_REQUEST_TIMEOUT;
    private Duration channelRetryTimeout = DEFAULT_CHANNEL_RETRY_TIMEOUT;
    private Duration httpOpenTimeout = DEFAULT_HTTP_OPEN_TIMEOUT;
    private Duration httpRequestTimeout = DEFAULT_HTTP_REQUEST_TIMEOUT;
    private Duration fallbackRetryTimeout = DEFAULT_FALLBACK_RETRY_TIMEOUT;
    private String recover;
    private ProxyOptions proxy;
    private final Map<String, String> agents = new LinkedHashMap<>();
    private final Map<String, String> transportParams = new LinkedHashMap<>();
    private int eventLoopThreads;
    private boolean inlineCallbacks;
    private Executor callbackExecutor;
    private Level logLevel = DEFAULT_LOG_LEVEL;
    private String name;
    private KeyStore trustStore;
    private String connectivityCheckUrl = DEFAULT_CONNECTIVITY_CHECK_URL;
    private AuthCallback authCallback;
    private String authUrl;
    private AuthMethod authMethod = AuthMethod.GET;
    private final Map<String, String> authHeaders = new LinkedHashMap<>();
    private final Map<String, String> authParams = new LinkedHashMap<>();
    private TokenDetails tokenDetails;
    private boolean useTokenAuth;
    private boolean queryTime;
    private TokenParams defaultTokenParams = TokenParams.empty();
    private io.ably.api.spi.SubscriptionStore subscriptionStore;
    private Duration storeWriteDelay = DEFAULT_STORE_WRITE_DELAY;
    private Duration storeExpiry = DEFAULT_STORE_EXPIRY;

    private Builder() {}

    private Builder(ClientOptions o) {
      key = o.key;
      token = o.token;
      clientId = o.clientId;
      endpoint = o.endpoint;
      environment = o.environment;
      host = o.host;
      port = o.port;
      tlsPort = o.tlsPort;
      tls = o.tls;
      fallbackHosts = o.fallbackHosts;
      autoConnect = o.autoConnect;
      useBinaryProtocol = o.useBinaryProtocol;
      echoMessages = o.echoMessages;
      queueMessages = o.queueMessages;
      maxQueuedMessages = o.maxQueuedMessages;
      inboundHighWaterMark = o.inboundHighWaterMark;
      inboundLowWaterMark = o.inboundLowWaterMark;
      addRequestIds = o.addRequestIds;
      disconnectedRetryTimeout = o.disconnectedRetryTimeout;
      suspendedRetryTimeout = o.suspendedRetryTimeout;
      realtimeRequestTimeout = o.realtimeRequestTimeout;
      channelRetryTimeout = o.channelRetryTimeout;
      httpOpenTimeout = o.httpOpenTimeout;
      httpRequestTimeout = o.httpRequestTimeout;
      fallbackRetryTimeout = o.fallbackRetryTimeout;
      recover = o.recover;
      proxy = o.proxy;
      agents.putAll(o.agents);
      transportParams.putAll(o.transportParams);
      eventLoopThreads = o.eventLoopThreads;
      inlineCallbacks = o.inlineCallbacks;
      callbackExecutor = o.callbackExecutor;
      logLevel = o.logLevel;
      name = o.name;
      trustStore = o.trustStore;
      connectivityCheckUrl = o.connectivityCheckUrl;
      authCallback = o.authCallback;
      authUrl = o.authUrl;
      authMethod = o.authMethod;
      authHeaders.putAll(o.authHeaders);
      authParams.putAll(o.authParams);
      tokenDetails = o.tokenDetails;
      useTokenAuth = o.useTokenAuth;
      queryTime = o.queryTime;
      defaultTokenParams = o.defaultTokenParams;
      subscriptionStore = o.subscriptionStore;
      storeWriteDelay = o.storeWriteDelay;
      storeExpiry = o.storeExpiry;
    }

    /**
     * Sets the API key, for basic authentication (RSA2, RSA11).
     *
     * @param value {@code appId.keyId:keySecret}
     * @return this builder
     */
    public Builder key(String value) {
      key = value;
      return this;
    }

    /**
     * Sets a static token, for token authentication without renewal (RSA4).
     *
     * @param value the token
     * @return this builder
     */
    public Builder token(String value) {
      token = value;
      return this;
    }

    /**
     * Obtains tokens through this callback (RSA8d, TO3j5): token authentication, renewed
     * whenever a token expires or is refused. Not with {@link #authUrl(String)}.
     *
     * @param value the callback, or {@code null}
     * @return this builder
     * @since 0.3
     */
    public Builder authCallback(AuthCallback value) {
      authCallback = value;
      return this;
    }

    /**
     * Obtains tokens from this URL (RSA8c, TO3j6): its response is a token string ({@code
     * text/plain} or {@code application/jwt}), TokenDetails JSON or TokenRequest JSON. Not with
     * {@link #authCallback(AuthCallback)}. Its query may hold secrets: it is never logged or shown.
     *
     * @param value an {@code http} or {@code https} URL, or {@code null}
     * @return this builder
     * @since 0.3
     */
    public Builder authUrl(String value) {
      authUrl = value;
      return this;
    }

    /**
     * Requests the {@code authUrl} with GET (default; parameters in the query) or POST
     * (parameters form-encoded in the body) (RSA8c1).
     *
     * @param value the method
     * @return this builder
     * @since 0.3
     */
    public Builder authMethod(AuthMethod value) {
      authMethod = value;
      return this;
    }

    /**
     * Adds a header sent to the {@code authUrl} (RSA8c3); its value is never shown.
     *
     * @param name the header name
     * @param value its value
     * @return this builder
     * @since 0.3
     */
    public Builder authHeader(String name, String value) {
      authHeaders.put(Checks.notNull(name, "authHeader name"), Checks.notNull(value, "authHeader value"));
      return this;
    }

    /**
     * Adds a parameter sent to the {@code authUrl} (RSA8c3); its value is never shown.
     *
     * @param name the parameter name
     * @param value its value
     * @return this builder
     * @since 0.3
     */
    public Builder authParam(String name, String value) {
      authParams.put(Checks.notNull(name, "authParam name"), Checks.notNull(value, "authParam value"));
      return this;
    }

    /**
     * Sets the initial token with its details (TO3j3). Without a key, callback or URL it cannot
     * be renewed: when it expires the client fails with 40171 (RSA4a).
     *
     * @param value the token details, or {@code null}
     * @return this builder
     * @since 0.3
     */
    public Builder tokenDetails(TokenDetails value) {
      tokenDetails = value;
      return this;
    }

    /**
     * Authenticates with tokens even when a key is given (RSA4, TO3j4): the client signs
     * TokenRequests with the key and exchanges them, so the key itself is never sent.
     *
     * @param value {@code true} for token authentication
     * @return this builder
     * @since 0.3
     */
    public Builder useTokenAuth(boolean value) {
      useTokenAuth = value;
      return this;
    }

    /**
     * Asks the service's time before signing a TokenRequest, for a machine whose clock may be
     * wrong (RSA9d, TO3j10). Default off.
     *
     * @param value {@code true} to ask
     * @return this builder
     * @since 0.3
     */
    public Builder queryTime(boolean value) {
      queryTime = value;
      return this;
    }

    /**
     * Sets the token parameters used when an operation gives none (RSA5, RSA6, TO3j11).
     *
     * @param value the parameters
     * @return this builder
     * @since 0.3
     */
    public Builder defaultTokenParams(TokenParams value) {
      defaultTokenParams = value;
      return this;
    }

    /**
     * Sets the client id this client identifies as (RSA7); not {@code *}.
     *
     * @param value the client id
     * @return this builder
     */
    public Builder clientId(String value) {
      clientId = value;
      return this;
    }

    /**
     * Sets the endpoint: a host name (containing a dot, {@code ::}, or {@code localhost}), a
     * routing policy id, or {@code nonprod:id} (REC1b).
     *
     * @param value the endpoint
     * @return this builder
     */
    public Builder endpoint(String value) {
      endpoint = value;
      return this;
    }

    /**
     * Sets the environment (deprecated in the specification in favour of the endpoint; REC1c).
     *
     * @param value the environment id
     * @return this builder
     */
    public Builder environment(String value) {
      environment = value;
      return this;
    }

    /**
     * Sets one host for both REST and realtime, with no default fallbacks (REC1d, REC2c6).
     *
     * @param value the host name or address
     * @return this builder
     */
    public Builder host(String value) {
      host = value;
      return this;
    }

    /**
     * Sets the port used without TLS. Default {@value #DEFAULT_PORT}.
     *
     * @param value the port
     * @return this builder
     */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /**
     * Sets the port used with TLS. Default {@value #DEFAULT_TLS_PORT}.
     *
     * @param value the port
     * @return this builder
     */
    public Builder tlsPort(int value) {
      tlsPort = value;
      return this;
    }

    /**
     * Turns TLS on or off. Default on; basic authentication without TLS is refused (40103)
     * unless the host is a loopback address.
     *
     * @param value {@code true} for TLS
     * @return this builder
     */
    public Builder tls(boolean value) {
      tls = value;
      return this;
    }

    /**
     * Sets the fallback hosts, replacing the defaults (REC2a); an empty list means none.
     *
     * @param value the hosts
     * @return this builder
     */
    public Builder fallbackHosts(List<String> value) {
      fallbackHosts = value == null ? null : List.copyOf(value);
      return this;
    }

    /**
     * Sets whether the client connects when created. Default {@code true}.
     *
     * @param value {@code false} to wait for {@code connection().connect()}
     * @return this builder
     */
    public Builder autoConnect(boolean value) {
      autoConnect = value;
      return this;
    }

    /**
     * Chooses MessagePack (default) or JSON.
     *
     * @param value {@code false} for JSON
     * @return this builder
     */
    public Builder useBinaryProtocol(boolean value) {
      useBinaryProtocol = value;
      return this;
    }

    /**
     * Sets whether this connection receives its own messages. Default {@code true}.
     *
     * @param value {@code false} to not receive them
     * @return this builder
     */
    public Builder echoMessages(boolean value) {
      echoMessages = value;
      return this;
    }

    /**
     * Sets whether publishes made while not connected are queued. Default {@code true}.
     *
     * @param value {@code false} to fail them at once
     * @return this builder
     */
    public Builder queueMessages(boolean value) {
      queueMessages = value;
      return this;
    }

    /**
     * Sets how many published messages may wait at once: sent and awaiting their acknowledgement,
     * queued while the connection is not connected, or held while the socket does not take more
     * (a server or network slower than the publisher). A publish that would exceed it fails at
     * once with 42910 (its stage completes exceptionally; nothing is dropped silently), so a
     * publisher faster than the network learns it instead of growing the heap. Default
     * {@value #DEFAULT_MAX_QUEUED_MESSAGES}.
     *
     * @param value at least 1
     * @return this builder
     * @since 0.1
     */
    public Builder maxQueuedMessages(int value) {
      maxQueuedMessages = value;
      return this;
    }

    /**
     * Sets the inbound backpressure's high-water mark: when more received messages than this wait
     * for the application's callbacks (subscribers slower than the stream, or blocked), the client
     * stops reading from the socket, so that the server's TCP flow control, not this process's
     * heap, holds the rest. Nothing is dropped: reading resumes once the callbacks have caught up
     * to {@link #inboundLowWaterMark(int)}. While reading is paused the idle timer (RTN23a) is
     * paused too, since the silence is the client's own. The count can exceed the mark by at most
     * the messages of one frame. With {@link #inlineCallbacks(boolean)} nothing waits (the loop
     * itself runs the callbacks), so the marks do not apply. Default
     * {@value #DEFAULT_INBOUND_HIGH_WATER_MARK}.
     *
     * @param value at least 1, and above the low-water mark
     * @return this builder
     * @since 0.2
     */
    public Builder inboundHighWaterMark(int value) {
      inboundHighWaterMark = value;
      return this;
    }

    /**
     * Sets the inbound backpressure's low-water mark: once reading was paused at
     * {@link #inboundHighWaterMark(int)}, it resumes when no more received messages than this wait
     * for the application's callbacks. Default {@value #DEFAULT_INBOUND_LOW_WATER_MARK}.
     *
     * @param value at least 0, and below the high-water mark
     * @return this builder
     * @since 0.2
     */
    public Builder inboundLowWaterMark(int value) {
      inboundLowWaterMark = value;
      return this;
    }

    /**
     * Sets whether every REST request carries a random {@code request_id} (TO3p, RSC7c).
     *
     * @param value {@code true} to add them
     * @return this builder
     * @since 0.2
     */
    public Builder addRequestIds(boolean value) {
      addRequestIds = value;
      return this;
    }

    /**
     * Sets the base delay of DISCONNECTED retries. Default 15 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder disconnectedRetryTimeout(Duration value) {
      disconnectedRetryTimeout = value;
      return this;
    }

    /**
     * Sets the delay of SUSPENDED retries. Default 30 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder suspendedRetryTimeout(Duration value) {
      suspendedRetryTimeout = value;
      return this;
    }

    /**
     * Sets the timeout of realtime requests. Default 10 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder realtimeRequestTimeout(Duration value) {
      realtimeRequestTimeout = value;
      return this;
    }

    /**
     * Sets the base delay of re-attaching a SUSPENDED channel. Default 15 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder channelRetryTimeout(Duration value) {
      channelRetryTimeout = value;
      return this;
    }

    /**
     * Sets the TCP connect timeout of REST requests. Default 4 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder httpOpenTimeout(Duration value) {
      httpOpenTimeout = value;
      return this;
    }

    /**
     * Sets the whole-request timeout of REST requests. Default 10 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder httpRequestTimeout(Duration value) {
      httpRequestTimeout = value;
      return this;
    }

    /**
     * Sets how long a working fallback host is preferred. Default 10 minutes.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder fallbackRetryTimeout(Duration value) {
      fallbackRetryTimeout = value;
      return this;
    }

    /**
     * Sets a recovery key from {@code Connection.createRecoveryKey()} of an earlier client, to
     * continue its connection (RTN16).
     *
     * @param value the recovery key
     * @return this builder
     */
    public Builder recover(String value) {
      recover = value;
      return this;
    }

    /**
     * Connects through an HTTP CONNECT proxy.
     *
     * @param value the proxy, or {@code null} for none
     * @return this builder
     */
    public Builder proxy(ProxyOptions value) {
      proxy = value;
      return this;
    }

    /**
     * Adds an entry to the agent string (RSC7d6).
     *
     * @param product the product name
     * @param version its version, or {@code null}
     * @return this builder
     */
    public Builder agent(String product, String version) {
      agents.put(Checks.notNull(product, "agent product"), version == null ? "" : version);
      return this;
    }

    /**
     * Adds a connection parameter, overriding a default of the same name (RTC1f).
     *
     * @param name the parameter name
     * @param value its value
     * @return this builder
     */
    public Builder transportParam(String name, String value) {
      transportParams.put(
          Checks.notNull(name, "transportParam name"), Checks.notNull(value, "transportParam value"));
      return this;
    }

    /**
     * Gives this client its own event-loop group of that many threads, shut down when it closes.
     * Default 0: share the JVM-wide group.
     *
     * @param value 0 to 64
     * @return this builder
     */
    public Builder eventLoopThreads(int value) {
      eventLoopThreads = value;
      return this;
    }

    /**
     * Runs listeners on the client's event-loop thread: the lowest latency, but a listener that
     * blocks stalls the connection. Default off.
     *
     * @param value {@code true} for inline callbacks
     * @return this builder
     */
    public Builder inlineCallbacks(boolean value) {
      inlineCallbacks = value;
      return this;
    }

    /**
     * Runs listeners on this executor. The executor must run tasks in submission order for
     * per-channel order to hold (a single thread, or a serial executor).
     *
     * @param value the executor, or {@code null} for the default per-client serial executor
     * @return this builder
     */
    public Builder callbackExecutor(Executor value) {
      callbackExecutor = value;
      return this;
    }

    /**
     * Sets the level of the client's log messages. Default WARNING.
     *
     * @param value the level
     * @return this builder
     */
    public Builder logLevel(Level value) {
      logLevel = value;
      return this;
    }

    /**
     * Names the client, for thread names, logs and JMX object names.
     *
     * @param value letters, digits, {@code .}, {@code _} and {@code -}
     * @return this builder
     */
    public Builder name(String value) {
      name = value;
      return this;
    }

    /**
     * Trusts the certificates in this store instead of the JDK's default trust.
     *
     * @param value the store, or {@code null} for the default
     * @return this builder
     */
    public Builder trustStore(KeyStore value) {
      trustStore = value;
      return this;
    }

    /**
     * Sets the URL fetched before fallback hosts are tried; the body must contain {@code yes}
     * (REC3b). Default {@link #DEFAULT_CONNECTIVITY_CHECK_URL}.
     *
     * @param value an {@code http} or {@code https} URL
     * @return this builder
     */
    public Builder connectivityCheckUrl(String value) {
      connectivityCheckUrl = value;
      return this;
    }

    /**
     * Sets where the client keeps its persistent subscriptions between runs (for example {@link
     * io.ably.api.spi.SubscriptionStore#inDirectory}); {@code null} for none. A client with a store
     * needs a {@link #name(String)}, which names its state. On creation it reads the state: a
     * recovery key still valid is used once (RTN16) and removed from the store at once; otherwise
     * each persistent channel continues from its stored position when it first attaches, subject
     * to its {@link ContinuityPolicy}. Expired state is ignored and deleted; unreadable state is
     * logged and ignored.
     *
     * @param value the store
     * @return this builder
     * @since 0.3
     */
    public Builder subscriptionStore(io.ably.api.spi.SubscriptionStore value) {
      subscriptionStore = value;
      return this;
    }

    /**
     * Sets the longest a delivered position waits before the store is written (default {@link
     * #DEFAULT_STORE_WRITE_DELAY}).
     *
     * @param value positive
     * @return this builder
     * @since 0.3
     */
    public Builder storeWriteDelay(Duration value) {
      storeWriteDelay = value;
      return this;
    }

    /**
     * Sets how long stored state is worth keeping after its last write (default {@link
     * #DEFAULT_STORE_EXPIRY}); set it within the channels' history retention.
     *
     * @param value positive
     * @return this builder
     * @since 0.3
     */
    public Builder storeExpiry(Duration value) {
      storeExpiry = value;
      return this;
    }

    /**
     * Checks every field and builds the options.
     *
     * @return the options
     * @throws AblyException naming the field and value: 40005 for a malformed key, 40012 for an
     *     invalid client id, 40003 otherwise
     */
    public ClientOptions build() {
      if (key != null && !KEY.matcher(key).matches()) {
        int colon = key.indexOf(':');
        // Never echo what may be a secret: without a colon the whole value may be one.
        String shown =
            colon < 0
                ? "a value of " + key.length() + " characters without ':' (not shown)"
                : "\"" + key.substring(0, colon) + ":***\"";
        throw new AblyException(
            ErrorInfo.of(
                ErrorCode.INVALID_CREDENTIAL, "key must be appId.keyId:keySecret, was " + shown));
      }
      if (token != null) {
        Checks.check(!token.isBlank(), "token must not be blank");
      }
      if (clientId != null && (clientId.isEmpty() || clientId.equals("*"))) {
        throw AblyException.of(
            ErrorCode.INVALID_CLIENT_ID, "clientId must be a non-empty id other than *, was \"" + clientId + "\"");
      }
      checkHost("endpoint", endpoint);
      checkHost("environment", environment);
      checkHost("host", host);
      Checks.check(
          endpoint == null || (environment == null && host == null),
          "endpoint cannot be combined with environment or host (REC1b1)");
      Checks.check(
          environment == null || host == null, "environment cannot be combined with host (REC1c1)");
      Checks.check(port > 0 && port <= 65_535, "port must be 1-65535, was " + port);
      Checks.check(tlsPort > 0 && tlsPort <= 65_535, "tlsPort must be 1-65535, was " + tlsPort);
      if (fallbackHosts != null) {
        for (String h : fallbackHosts) {
          checkHost("fallbackHosts", Objects.requireNonNullElse(h, ""));
        }
      }
      Checks.check(maxQueuedMessages >= 1, "maxQueuedMessages must be at least 1, was " + maxQueuedMessages);
      Checks.check(inboundHighWaterMark >= 1, "inboundHighWaterMark must be at least 1, was " + inboundHighWaterMark);
      Checks.check(
          inboundLowWaterMark >= 0 && inboundLowWaterMark < inboundHighWaterMark,
          "inboundLowWaterMark must be at least 0 and below inboundHighWaterMark (" + inboundHighWaterMark
              + "), was " + inboundLowWaterMark);
      positive("disconnectedRetryTimeout", disconnectedRetryTimeout);
      positive("suspendedRetryTimeout", suspendedRetryTimeout);
      positive("realtimeRequestTimeout", realtimeRequestTimeout);
      positive("channelRetryTimeout", channelRetryTimeout);
      positive("httpOpenTimeout", httpOpenTimeout);
      positive("httpRequestTimeout", httpRequestTimeout);
      positive("fallbackRetryTimeout", fallbackRetryTimeout);
      if (recover != null) {
        Checks.check(!recover.isBlank(), "recover must not be blank");
      }
      Checks.check(
          eventLoopThreads >= 0 && eventLoopThreads <= 64,
          "eventLoopThreads must be 0-64, was " + eventLoopThreads);
      Checks.check(
          !(inlineCallbacks && callbackExecutor != null),
          "inlineCallbacks and callbackExecutor cannot both be set");
      Checks.notNull(logLevel, "logLevel");
      Checks.check(
          connectivityCheckUrl != null && connectivityCheckUrl.matches("https?://[^\\s/]+(/\\S*)?"),
          "connectivityCheckUrl must be an http or https URL, was \"" + connectivityCheckUrl + "\"");
      Checks.check(storeWriteDelay != null && storeWriteDelay.toMillis() > 0,
          "storeWriteDelay must be at least 1 ms, was " + storeWriteDelay);
      Checks.check(storeExpiry != null && storeExpiry.toMillis() > 0,
          "storeExpiry must be at least 1 ms, was " + storeExpiry);
      Checks.check(subscriptionStore == null || name != null,
          "subscriptionStore needs a name(...): it names the client's stored state");
      if (name != null) {
        Checks.check(
            name.matches("[A-Za-z0-9._-]{1,64}"),
            "name must be 1-64 letters, digits, '.', '_' or '-', was \"" + name + "\"");
      }
      AuthUrls.check("authUrl", authUrl);
      Checks.notNull(authMethod, "authMethod");
      Checks.notNull(defaultTokenParams, "defaultTokenParams");
      Checks.check(
          authCallback == null || authUrl == null, "authCallback and authUrl cannot both be set");
      Checks.check(token == null || tokenDetails == null, "token and tokenDetails cannot both be set");
      // Last, so a malformed field is reported first: the means to authenticate, and where to.
      if (key == null && token == null && tokenDetails == null && authCallback == null && authUrl == null) {
        throw AblyException.of(
            ErrorCode.NO_AUTH_METHOD,
            "no means to authenticate: set key(...) or token(...), or tokenDetails, authCallback or authUrl (RSC1b)");
      }
      boolean tokenAuth =
          useTokenAuth || token != null || tokenDetails != null || authCallback != null || authUrl != null;
      if (key != null && !tls && !tokenAuth) {
        checkBasicAuthHost(primaryHost());
        if (fallbackHosts != null) {
          fallbackHosts.forEach(Builder::checkBasicAuthHost);
        }
      }
      return new ClientOptions(this);
    }

    /** The primary host when it is named (host, or an endpoint that is a host), else null. */
    private String primaryHost() {
      if (host != null) {
        return host;
      }
      if (endpoint != null && (endpoint.contains(".") || endpoint.contains("::") || endpoint.equals("localhost"))) {
        return endpoint;
      }
      return null; // the service's own hosts
    }

    /** RSA1: a key is sent over plain TCP only to this machine. */
    private static void checkBasicAuthHost(String host) {
      if (host == null || !isLoopback(host)) {
        throw AblyException.of(
            ErrorCode.INSECURE_BASIC_AUTH,
            "basic authentication with a key needs TLS: tls(false) is allowed only with a loopback"
                + " host (localhost, 127.0.0.0/8, ::1), not " + (host == null ? "the service's hosts" : host)
                + " (RSA1)");
      }
    }

    /** Loopback without a DNS look-up: {@code localhost}, or a literal in 127.0.0.0/8 or ::1. */
    private static boolean isLoopback(String host) {
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (h.matches("127(\\.\\d{1,3}){3}")) {
        return true;
      }
      return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    private static void checkHost(String field, String value) {
      if (value != null) {
        Checks.check(
            !value.isEmpty() && HOST.matcher(value).matches(),
            field + " must be a host name or address, was \"" + value + "\"");
      }
    }

    private static void positive(String field, Duration value) {
      Checks.check(
          value != null && !value.isNegative() && !value.isZero(),
          field + " must be a positive duration, was " + value);
    }
  }
}
