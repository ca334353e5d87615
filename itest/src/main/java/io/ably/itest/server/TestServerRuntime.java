package io.ably.itest.server;

import io.ably.api.ErrorInfo;
import io.ably.itest.Faults;
import io.ably.itest.TestKey;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running server behind {@link io.ably.itest.AblyTestServer}: Netty I/O threads, the state loop,
 * and the listening sockets. Not part of the testkit's API.
 */
public final class TestServerRuntime implements Faults, AutoCloseable {
  private final EventLoopGroup io;
  private final DefaultEventLoop stateLoop;
  private final ServerConductor conductor;
  private final List<Channel> listeners = new ArrayList<>();
  private final List<InetSocketAddress> addresses = new ArrayList<>();
  /** The TLS certificate, or {@code null} without TLS. */
  private final SelfSignedCertificate certificate;

  /**
   * Starts a server listening on each host at the port (0 for an ephemeral port, chosen once and
   * shared by all hosts).
   *
   * @param hosts addresses to bind, for example {@code 127.0.0.1}
   * @param port the port, or 0
   * @param keys the keys the server accepts
   * @param config settings
   * @param ioThreads Netty I/O threads
   * @param tls whether to serve TLS with a generated self-signed certificate
   * @return the running server
   * @throws InterruptedException if interrupted while binding
   * @throws IOException if the TLS certificate cannot be made
   */
  public static TestServerRuntime start(
      List<String> hosts, int port, List<TestKey> keys, ServerConfig config, int ioThreads,
      boolean tls)
      throws InterruptedException, IOException {
    SelfSignedCertificate certificate = tls ? SelfSignedCertificate.generate(hosts) : null;
    return new TestServerRuntime(hosts, port, keys, config, ioThreads, certificate);
  }

  private TestServerRuntime(
      List<String> hosts, int port, List<TestKey> keys, ServerConfig config, int ioThreads,
      SelfSignedCertificate certificate)
      throws InterruptedException, IOException {
    this.certificate = certificate;
    SslContext ssl = null;
    if (certificate != null) {
      try {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(certificate.keyStore(), certificate.password());
        ssl = SslContextBuilder.forServer(kmf).build();
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot set up TLS", e);
      }
    }
    io = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("ably-testkit-io", true), NioIoHandler.newFactory());
    stateLoop = new DefaultEventLoop(new DefaultThreadFactory("ably-testkit-state", true));
    conductor = new ServerConductor(stateLoop, config, new FaultSettings(), keys);
    RestHandler rest = new RestHandler(conductor);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ServerInitializer(conductor, rest, ssl));
    int boundPort = port;
    try {
      for (String host : hosts) {
        Channel ch = bootstrap.bind(host, boundPort).sync().channel();
        listeners.add(ch);
        InetSocketAddress address = (InetSocketAddress) ch.localAddress();
        addresses.add(address);
        boundPort = address.getPort();
      }
    } catch (InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Returns the bound addresses, in the order the hosts were given.
   *
   * @return the addresses
   */
  public List<InetSocketAddress> addresses() {
    return List.copyOf(addresses);
  }

  /**
   * Returns the TLS certificate.
   *
   * @return the certificate, or {@code null} when the server does not use TLS
   */
  public SelfSignedCertificate certificate() {
    return certificate;
  }

  /**
   * Returns the keys.
   *
   * @return the keys the server accepts
   */
  public List<TestKey> keys() {
    return conductor.keys();
  }

  /**
   * Returns the number of connections that currently have a socket.
   *
   * @return the count
   */
  public int liveConnectionCount() {
    return call(() -> conductor.liveConnections().size());
  }

  /**
   * Returns a stage completed when the server forgets a connection.
   *
   * @param connectionId the connection's id
   * @return completed at once if the server does not know it
   */
  public java.util.concurrent.CompletionStage<Void> connectionDiscarded(String connectionId) {
    java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
    run(() -> {
      if (conductor.connectionsById.containsKey(connectionId)) {
        conductor.discardWaiters.computeIfAbsent(connectionId, k -> new java.util.ArrayList<>()).add(f);
      } else {
        f.complete(null);
      }
    });
    return f;
  }

  private <T> T call(Callable<T> task) {
    try {
      return stateLoop.submit(task).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the testkit", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("testkit task failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("testkit state loop did not answer in 10 s", e);
    }
  }

  private void run(Runnable task) {
    call(
        () -> {
          task.run();
          return null;
        });
  }

  @Override
  public void dropConnections() {
    run(() -> conductor.liveConnections().forEach(c -> c.transport.sever()));
  }

  @Override
  public boolean dropConnection(String connectionId) {
    return call(
        () -> {
          ServerConnection c = conductor.connectionsById.get(connectionId);
          if (c == null || c.transport == null) {
            return false;
          }
          c.transport.drop();
          return true;
        });
  }

  @Override
  public void resetConnections() {
    run(() -> conductor.liveConnections().forEach(c -> c.transport.reset()));
  }

  @Override
  public void disconnectAll(ErrorInfo error) {
    run(() -> conductor.liveConnections().forEach(c -> conductor.disconnect(c, error)));
  }

  @Override
  public void updateConnections(ErrorInfo error) {
    run(() -> conductor.liveConnections().forEach(c -> c.transport.send(conductor.connected(c, error))));
  }

  @Override
  public void stopHeartbeats(boolean stopped) {
    conductor.faults.heartbeatsStopped = stopped;
  }

  @Override
  public void blackholeOutbound(boolean enabled) {
    conductor.faults.blackholeOutbound = enabled;
  }

  @Override
  public void blackholeInbound(boolean enabled) {
    conductor.faults.blackholeInbound = enabled;
  }

  @Override
  public void endBlackholes() {
    run(
        () -> {
          conductor.liveConnections().forEach(c -> c.transport.sever());
          conductor.faults.blackholeOutbound = false;
          conductor.faults.blackholeInbound = false;
        });
  }

  @Override
  public void delayOutbound(Duration delay) {
    conductor.faults.outboundDelayMillis = delay.toMillis();
  }

  @Override
  public void delayInbound(Duration delay) {
    conductor.faults.inboundDelayMillis = delay.toMillis();
  }

  @Override
  public void failNextConnect(ErrorInfo error) {
    run(() -> conductor.nextConnectError = error);
  }

  @Override
  public void failNextAttach(ErrorInfo error) {
    run(() -> conductor.nextAttachError = error);
  }

  @Override
  public void detachChannel(String channel, ErrorInfo error) {
    run(() -> conductor.router.detachAll(channel, error));
  }

  @Override
  public void resyncPresence(String channel) {
    run(() -> conductor.presence.resyncAll(channel));
  }

  @Override
  public void nackNextPublish(ErrorInfo error) {
    run(() -> conductor.nextPublishError = error);
  }

  @Override
  public void failNextResume() {
    run(() -> conductor.failNextResume = true);
  }

  @Override
  public void expireTokens() {
    run(
        () -> {
          conductor.tokens.expireAll(conductor.nowMillis());
          for (ServerConnection c : conductor.liveConnections()) {
            if (c.token != null) {
              conductor.expireToken(c);
            }
          }
        });
  }

  @Override
  public void requestReauthentication() {
    run(
        () ->
            conductor.liveConnections().stream()
                .filter(c -> c.token != null)
                .forEach(c -> c.transport.send(ProtocolMessage.builder(Action.AUTH).build())));
  }

  @Override
  public void restart() {
    run(conductor::restart);
  }

  /** Refuses new connections and closes every socket, then stops all threads. */
  @Override
  public void close() {
    for (Channel l : listeners) {
      l.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (!stateLoop.isShuttingDown()) {
      try {
        stateLoop.submit(conductor::restart).await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    stateLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
