package io.ably.engine.internal.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.resolver.NameResolver;
import io.netty.resolver.SimpleNameResolver;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The address resolvers of the engine's connections: Netty's asynchronous DNS client, so that no
 * look-up ever blocks an event loop (the JDK's {@code InetAddress.getByName}, Netty's default, would
 * freeze every client sharing the loop while a slow resolver answers). It honours
 * {@code /etc/resolv.conf} and {@code /etc/hosts}, and answers names under the reserved top-level
 * domain {@code invalid} at once with "unknown host" without sending a query (RFC 6761 §6.4).
 */
public final class Resolvers {
  private Resolvers() {}

  /**
   * Creates a resolver group that asks the platform's name servers.
   *
   * @return the group; close it when its event loops are shut down
   */
  public static AddressResolverGroup<InetSocketAddress> platform() {
    return new Group(builder(DnsServerAddressStreamProviders.platformDefault()));
  }

  /**
   * Creates a resolver group that asks only the given name servers, for every name (tests point it
   * at a stub server that answers names under {@code invalid}, which then reach nothing else).
   *
   * @param nameServers the name servers
   * @return the group; close it when its event loops are shut down
   */
  public static AddressResolverGroup<InetSocketAddress> using(DnsServerAddressStreamProvider nameServers) {
    return new DnsAddressResolverGroup(builder(nameServers));
  }

  private static DnsNameResolverBuilder builder(DnsServerAddressStreamProvider nameServers) {
    return new DnsNameResolverBuilder()
        .datagramChannelType(NioDatagramChannel.class)
        .nameServerProvider(nameServers);
  }

  /** Whether a host name is in the reserved {@code invalid} domain (RFC 6761 §6.4). */
  static boolean reserved(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.equals("invalid") || h.endsWith(".invalid");
  }

  /** Netty's DNS resolver group, with names under {@code invalid} refused before any query. */
  private static final class Group extends DnsAddressResolverGroup {
    Group(DnsNameResolverBuilder builder) {
      super(builder);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newAddressResolver(
        EventLoop loop, NameResolver<InetAddress> resolver) {
      return new InetSocketAddressResolver(loop, new ReservedNames(loop, resolver));
    }
  }

  /** Fails names under {@code invalid} at once; passes every other name to the DNS resolver. */
  private static final class ReservedNames extends SimpleNameResolver<InetAddress> {
    private final NameResolver<InetAddress> dns;

    ReservedNames(EventLoop loop, NameResolver<InetAddress> dns) {
      super(loop);
      this.dns = dns;
    }

    @Override
    protected void doResolve(String host, Promise<InetAddress> promise) {
      if (reserved(host)) {
        promise.setFailure(unknown(host));
      } else {
        relay(dns.resolve(host), promise);
      }
    }

    @Override
    protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
      if (reserved(host)) {
        promise.setFailure(unknown(host));
      } else {
        relay(dns.resolveAll(host), promise);
      }
    }

    private static <T> void relay(Future<T> from, Promise<T> to) {
      from.addListener(
          f -> {
            if (f.isSuccess()) {
              to.trySuccess(from.getNow());
            } else {
              to.tryFailure(f.cause());
            }
          });
    }

    private static UnknownHostException unknown(String host) {
      return new UnknownHostException(host + ": a reserved name that never resolves (RFC 6761)");
    }

    @Override
    public void close() {
      dns.close();
    }
  }
}
