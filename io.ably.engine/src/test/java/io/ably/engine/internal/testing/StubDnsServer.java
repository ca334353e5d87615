package io.ably.engine.internal.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server on 127.0.0.1 for tests: it answers the names it is given with 127.0.0.1, each after
 * its own delay (a slow resolver), and every other name with NXDOMAIN. It records the names asked.
 * {@link #close()} stops it and its thread.
 */
public final class StubDnsServer implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;
  private final Map<String, Duration> names;
  /** The names asked, in order, without the trailing dot. */
  public final Queue<String> asked = new ConcurrentLinkedQueue<>();
  /** Completed when each known name is first asked. */
  private final Map<String, CompletableFuture<Void>> firstAsked = new ConcurrentHashMap<>();

  private StubDnsServer(Map<String, Duration> names) throws InterruptedException {
    this.names = Map.copyOf(names);
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<DatagramChannel>() {
                  @Override
                  protected void initChannel(DatagramChannel ch) {
                    ch.pipeline()
                        .addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder())
                        .addLast(new Answer());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  /**
   * Starts a server that knows {@code names} (each answered after its delay).
   *
   * @param names the names it answers, and after how long
   * @return the server
   * @throws InterruptedException if interrupted while binding
   */
  public static StubDnsServer start(Map<String, Duration> names) throws InterruptedException {
    return new StubDnsServer(names);
  }

  /**
   * Returns where it listens.
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /**
   * Returns a future completed when {@code name} is first asked.
   *
   * @param name a name the server knows
   * @return the future
   */
  public CompletableFuture<Void> asked(String name) {
    return firstAsked.computeIfAbsent(name, n -> new CompletableFuture<>());
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Answer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      String name = q.name().toLowerCase(Locale.ROOT);
      if (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
      asked.add(name);
      asked(name).complete(null);
      DatagramDnsResponse res = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      res.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
      Duration delay = names.get(name);
      if (delay == null) {
        res.setCode(DnsResponseCode.NXDOMAIN);
        ctx.writeAndFlush(res);
        return;
      }
      if (q.type() == DnsRecordType.A) {
        res.addRecord(DnsSection.ANSWER,
            new DefaultDnsRawRecord(q.name(), DnsRecordType.A, 60, Unpooled.wrappedBuffer(new byte[] {127, 0, 0, 1})));
      }
      ctx.executor().schedule(() -> ctx.writeAndFlush(res), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }
}
