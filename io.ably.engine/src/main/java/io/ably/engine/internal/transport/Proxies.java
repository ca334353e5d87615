package io.ably.engine.internal.transport;

import io.ably.api.ClientOptions.ProxyOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.handler.proxy.HttpProxyHandler;
import java.net.InetSocketAddress;

/** The HTTP CONNECT proxy (ClientOptions.proxy) as every outgoing connection uses it. */
final class Proxies {
  private Proxies() {}

  /** The first pipeline handler of a connection through the proxy. */
  static HttpProxyHandler handler(ProxyOptions proxy) {
    InetSocketAddress at = new InetSocketAddress(proxy.host(), proxy.port());
    return proxy.username() == null
        ? new HttpProxyHandler(at)
        : new HttpProxyHandler(at, proxy.username(), proxy.password());
  }

  /**
   * Connects to {@code host:port}: directly, or (with a proxy) to an unresolved address the proxy
   * resolves, so the target host name reaches the proxy's CONNECT.
   */
  static ChannelFuture connect(Bootstrap b, ProxyOptions proxy, String host, int port) {
    return proxy != null ? b.connect(InetSocketAddress.createUnresolved(host, port)) : b.connect(host, port);
  }
}
