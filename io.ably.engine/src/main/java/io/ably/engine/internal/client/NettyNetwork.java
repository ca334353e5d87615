package io.ably.engine.internal.client;

import io.ably.api.ClientOptions;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.transport.ConnectivityCheck;
import io.ably.engine.internal.transport.Transport;
import io.ably.engine.internal.transport.TransportListener;
import io.ably.engine.internal.transport.WebSocketTransport;
import io.ably.wire.WireFormat;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Consumer;

/** The client's {@link Network}: WebSockets and the connectivity check on its Netty event loop. */
@EventLoopConfined
final class NettyNetwork implements Network {
  private final EventLoop loop;
  private final ClientOptions options;
  private final WireFormat format;
  private final SslContext ssl;
  private final SslContext checkTls;
  private final AddressResolverGroup<InetSocketAddress> resolver;
  private final Counters counters;

  /**
   * @param ssl the client's TLS context, or null without TLS
   * @param checkTls the connectivity check's TLS context (the JDK's trust), or null for an http URL
   */
  NettyNetwork(
      EventLoop loop, ClientOptions options, SslContext ssl, SslContext checkTls,
      AddressResolverGroup<InetSocketAddress> resolver, Counters counters) {
    this.loop = loop;
    this.options = options;
    this.format = options.useBinaryProtocol() ? WireFormat.MSGPACK : WireFormat.JSON;
    this.ssl = ssl;
    this.checkTls = checkTls;
    this.resolver = resolver;
    this.counters = counters;
  }

  @Override
  public Transport open(URI uri, TransportListener listener) {
    counters.transportOpened();
    return WebSocketTransport.open(
        loop, uri, format, ssl, options.proxy(), resolver, options.realtimeRequestTimeout(), listener, counters);
  }

  @Override
  public void checkConnectivity(Consumer<Boolean> online) {
    ConnectivityCheck.start(
        loop, URI.create(options.connectivityCheckUrl()), checkTls, options.proxy(), resolver,
        options.realtimeRequestTimeout(), online);
  }
}
