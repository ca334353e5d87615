package io.ably.itest.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

/** The pipeline of every accepted socket: optional TLS, HTTP, then {@link HttpEntryHandler}. */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  private final ServerConductor server;
  private final RestHandler rest;
  private final SslContext ssl;

  ServerInitializer(ServerConductor server, RestHandler rest, SslContext ssl) {
    this.server = server;
    this.rest = rest;
    this.ssl = ssl;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (ssl != null) {
      ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
    }
    ch.pipeline()
        .addLast("http", new HttpServerCodec())
        .addLast("http-aggregator", new HttpObjectAggregator(server.config.maxFrameSize() + 65_536))
        .addLast(HttpEntryHandler.NAME, new HttpEntryHandler(server, rest, ssl != null));
  }
}
