package io.ably.engine.internal.transport;

import io.ably.api.ClientOptions.ProxyOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * How every outgoing connection reaches its host without a blocking look-up: directly, with the
 * host name resolved by the client's asynchronous resolver; or through the HTTP CONNECT proxy
 * (ClientOptions.proxy), with the proxy's own name resolved by the client's resolver and the target
 * name left to the proxy, never resolved locally.
 */
public final class Proxies {
  private Proxies() {}

  /**
   * Resolves the proxy's address, without blocking, and then calls {@code then} on {@code loop}
   * with it (or with {@code null} when there is no proxy, at once) or with the failure.
   *
   * @param loop the client's event loop
   * @param resolver the client's resolver
   * @param proxy the proxy, or null
   * @param then what to call with the address or the failure
   */
  public static void resolveProxy(
      EventLoop loop, AddressResolverGroup<InetSocketAddress> resolver, ProxyOptions proxy,
      BiConsumer<InetSocketAddress, Throwable> then) {
    if (proxy == null) {
      then.accept(null, null);
      return;
    }
    Future<InetSocketAddress> resolved =
        resolver.getResolver(loop).resolve(InetSocketAddress.createUnresolved(proxy.host(), proxy.port()));
    resolved.addListener(f -> then.accept(f.isSuccess() ? resolved.getNow() : null, f.isSuccess() ? null : f.cause()));
  }

  /**
   * Returns the first pipeline handler of a connection through the proxy.
   *
   * @param proxy the proxy
   * @param at its resolved address
   * @return the handler
   */
  public static HttpProxyHandler handler(ProxyOptions proxy, InetSocketAddress at) {
    return proxy.username() == null
        ? new HttpProxyHandler(at)
        : new HttpProxyHandler(at, proxy.username(), proxy.password());
  }

  /**
   * Connects to {@code host:port}: resolved by {@code resolver}, or (through a proxy) passed
   * unresolved to the proxy's CONNECT.
   *
   * @param b the bootstrap
   * @param resolver the client's resolver
   * @param proxied whether the bootstrap's pipeline goes through a proxy
   * @param host the host
   * @param port the port
   * @return the connect future
   */
  public static ChannelFuture connect(
      Bootstrap b, AddressResolverGroup<InetSocketAddress> resolver, boolean proxied, String host, int port) {
    return b.resolver(proxied ? NoopAddressResolverGroup.INSTANCE : resolver)
        .connect(InetSocketAddress.createUnresolved(host, port));
  }
}
