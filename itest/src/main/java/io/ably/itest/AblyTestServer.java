package io.ably.itest;

import io.ably.itest.server.ServerConfig;
import io.ably.itest.server.TestServerRuntime;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A local Ably-compatible server for tests: the realtime protocol (versions 2 to 6, JSON and
 * MessagePack) and the REST API a client uses (time, token requests, publish, history, presence,
 * channel details, stats, and sandbox-style app provisioning with {@code POST /apps}), with fault
 * injection. No network is needed; it listens on loopback.
 *
 * <pre>{@code
 * try (AblyTestServer server = AblyTestServer.builder().start()) {
 *   String key = server.defaultKey().keyStr();       // "testapp.key1:testsecret1"
 *   int port = server.port();                        // ephemeral
 *   // point a client at 127.0.0.1:port without TLS, then inject faults:
 *   server.faults().dropConnections();
 * }
 * }</pre>
 *
 * <p>Thread-safe. All server state lives on one internal event loop; {@link #faults()} methods
 * take effect before they return.
 *
 * @since 0.1
 */
public final class AblyTestServer implements AutoCloseable {
  /** The key a server has when none is configured: {@code testapp.key1:testsecret1}. */
  public static final String DEFAULT_KEY = "testapp.key1:testsecret1";

  private final TestServerRuntime runtime;

  private AblyTestServer(TestServerRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Returns a builder with the defaults: {@code 127.0.0.1}, an ephemeral port, the default key.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the first host's address.
   *
   * @return the bound address
   */
  public InetSocketAddress address() {
    return runtime.addresses().get(0);
  }

  /**
   * Returns every bound address (one per host given to the builder).
   *
   * @return the addresses
   */
  public List<InetSocketAddress> addresses() {
    return runtime.addresses();
  }

  /**
   * Returns the port, shared by every host.
   *
   * @return the port
   */
  public int port() {
    return address().getPort();
  }

  /**
   * Returns the host the server was asked to listen on first.
   *
   * @return the host, for example {@code 127.0.0.1}
   */
  public String host() {
    return address().getHostString();
  }

  /**
   * Returns the realtime URI of the first host.
   *
   * @return {@code ws://host:port/}, or {@code wss://host:port/} with TLS
   */
  public URI uri() {
    return URI.create((isTls() ? "wss://" : "ws://") + host() + ":" + port() + "/");
  }

  /**
   * Tells whether the server speaks TLS (and only TLS).
   *
   * @return {@code true} when built with {@link Builder#tls(boolean) tls(true)}
   */
  public boolean isTls() {
    return runtime.certificate() != null;
  }

  /**
   * Returns the server's self-signed certificate, which a client must trust to connect.
   *
   * @return the certificate, or {@code null} without TLS
   */
  public X509Certificate tlsCertificate() {
    return isTls() ? runtime.certificate().certificate() : null;
  }

  /**
   * Returns a trust store that holds only the server's certificate, for a client's
   * {@code TrustManagerFactory}.
   *
   * @return the trust store, or {@code null} without TLS
   * @throws GeneralSecurityException if the key store cannot be built
   */
  public KeyStore trustStore() throws GeneralSecurityException {
    if (!isTls()) {
      return null;
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    ks.setCertificateEntry("ably-testkit", tlsCertificate());
    return ks;
  }

  /**
   * Returns the certificate in PEM form.
   *
   * @return PEM text, or {@code null} without TLS
   * @throws GeneralSecurityException if the certificate cannot be encoded
   */
  public String tlsCertificatePem() throws GeneralSecurityException {
    return isTls() ? runtime.certificate().certificatePem() : null;
  }

  /**
   * Returns the keys the server accepts, including those of apps provisioned with
   * {@code POST /apps} and not yet deleted.
   *
   * @return the keys
   */
  public List<TestKey> keys() {
    return runtime.keys();
  }

  /**
   * Returns the first key.
   *
   * @return the first key
   */
  public TestKey defaultKey() {
    return keys().get(0);
  }

  /**
   * Returns the fault-injection surface.
   *
   * @return the faults
   */
  public Faults faults() {
    return runtime;
  }

  /**
   * Returns how many client connections currently have an open socket.
   *
   * @return the count
   */
  public int liveConnectionCount() {
    return runtime.liveConnectionCount();
  }

  /**
   * Returns a stage completed when the server forgets a connection: it closed, or it dropped and
   * its connectionStateTtl passed, so that it can no longer be resumed or recovered (RTN15, RTN16).
   *
   * @param connectionId the connection's id
   * @return a stage, completed at once if the server does not know the connection
   */
  public java.util.concurrent.CompletionStage<Void> whenConnectionDiscarded(String connectionId) {
    return runtime.connectionDiscarded(connectionId);
  }

  /** Stops listening, closes every socket and stops the server's threads. */
  @Override
  public void close() {
    runtime.close();
  }

  /** Configures and starts a server. Not thread-safe. */
  public static final class Builder {
    private final List<String> hosts = new ArrayList<>();
    private int port;
    private final List<TestKey> keys = new ArrayList<>();
    private Duration maxIdleInterval = ServerConfig.DEFAULTS.maxIdleInterval();
    private Duration connectionStateTtl = ServerConfig.DEFAULTS.connectionStateTtl();
    private Duration presenceLeaveDelay = ServerConfig.DEFAULTS.presenceLeaveDelay();
    private int maxMessageSize = ServerConfig.DEFAULTS.maxMessageSize();
    private int historyLimit = ServerConfig.DEFAULTS.historyLimit();
    private Duration historyTtl = Duration.ZERO;
    private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private boolean tls;

    private Builder() {}

    /**
     * Adds an address to listen on; several loopback addresses (127.0.0.2, …) act as separate
     * hosts for fallback tests. Default: {@code 127.0.0.1}.
     *
     * @param host an IP address or host name
     * @return this builder
     */
    public Builder host(String host) {
      hosts.add(Args.notNull(host, "host"));
      return this;
    }

    /**
     * Sets the port; 0 (the default) picks a free one.
     *
     * @param value the port
     * @return this builder
     */
    public Builder port(int value) {
      Args.check(value >= 0 && value <= 65_535, "port must be 0-65535, was " + value);
      port = value;
      return this;
    }

    /**
     * Adds a key; without any, the server has {@link #DEFAULT_KEY}.
     *
     * @param key the key
     * @return this builder
     */
    public Builder key(TestKey key) {
      keys.add(Args.notNull(key, "key"));
      return this;
    }

    /**
     * Adds a key with all operations allowed.
     *
     * @param keyStr {@code appId.keyId:secret}
     * @return this builder
     */
    public Builder key(String keyStr) {
      return key(TestKey.parse(keyStr));
    }

    /**
     * Sets the longest server silence; a HEARTBEAT is sent well within it. Default 15 s.
     *
     * @param value the interval, or zero to send no heartbeats
     * @return this builder
     */
    public Builder maxIdleInterval(Duration value) {
      maxIdleInterval = Args.notNull(value, "maxIdleInterval");
      return this;
    }

    /**
     * Sets how long a dropped connection stays resumable. Default 2 minutes.
     *
     * @param value the TTL
     * @return this builder
     */
    public Builder connectionStateTtl(Duration value) {
      connectionStateTtl = Args.notNull(value, "connectionStateTtl");
      return this;
    }

    /**
     * Sets how long after an unclean drop a connection's presence members leave. Default 15 s.
     *
     * @param value the delay
     * @return this builder
     */
    public Builder presenceLeaveDelay(Duration value) {
      presenceLeaveDelay = Args.notNull(value, "presenceLeaveDelay");
      return this;
    }

    /**
     * Sets the largest accepted publish, as TM6 counts it. Default 65536.
     *
     * @param value bytes
     * @return this builder
     */
    public Builder maxMessageSize(int value) {
      Args.check(value > 0, "maxMessageSize must be positive, was " + value);
      maxMessageSize = value;
      return this;
    }

    /**
     * Sets how many messages each channel keeps for resume, rewind and history. Default 200000.
     *
     * @param value the count
     * @return this builder
     */
    public Builder historyLimit(int value) {
      Args.check(value > 0, "historyLimit must be positive, was " + value);
      historyLimit = value;
      return this;
    }

    /**
     * Sets the number of Netty I/O threads. Default: the number of cores, at least 2.
     *
     * @param value the count
     * @return this builder
     */
    public Builder ioThreads(int value) {
      Args.check(value > 0, "ioThreads must be positive, was " + value);
      ioThreads = value;
      return this;
    }

    /**
     * Sets how long each channel keeps a message for resume, rewind and history, on top of {@link
     * #historyLimit(int)}: older messages are gone, as the service's history retention makes them.
     * Default {@link Duration#ZERO}: no age limit.
     *
     * @param value the age limit, zero for none
     * @return this builder
     */
    public Builder historyTtl(Duration value) {
      Args.check(value != null && !value.isNegative(), "historyTtl must not be negative, was " + value);
      historyTtl = value;
      return this;
    }

    /**
     * Serves TLS only, with a self-signed certificate generated at start for {@code localhost}
     * and the listening addresses (see {@link AblyTestServer#trustStore()}). Default off.
     *
     * @param value {@code true} for TLS
     * @return this builder
     */
    public Builder tls(boolean value) {
      tls = value;
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     * @throws IllegalStateException if it cannot bind
     */
    public AblyTestServer start() {
      List<String> h = hosts.isEmpty() ? List.of("127.0.0.1") : List.copyOf(hosts);
      List<TestKey> k = keys.isEmpty() ? List.of(TestKey.parse(DEFAULT_KEY)) : List.copyOf(keys);
      ServerConfig config =
          new ServerConfig(
              maxIdleInterval,
              connectionStateTtl,
              presenceLeaveDelay,
              maxMessageSize,
              ServerConfig.DEFAULTS.maxFrameSize(),
              historyLimit,
              ServerConfig.DEFAULTS.defaultTokenTtl(),
              ServerConfig.DEFAULTS.serverId(),
              historyTtl);
      try {
        return new AblyTestServer(TestServerRuntime.start(h, port, k, config, ioThreads, tls));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the testkit server", e);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot start the testkit server: " + e.getMessage(), e);
      }
    }
  }
}
