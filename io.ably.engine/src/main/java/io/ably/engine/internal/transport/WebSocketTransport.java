package io.ably.engine.internal.transport;

import io.ably.api.ClientOptions.ProxyOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.wire.FrameDecoder;
import io.ably.wire.FrameEncoder;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import io.ably.wire.WireFormatException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * One WebSocket to an Ably host (PROTOCOL.md §1): the Netty pipeline (optional HTTP CONNECT
 * proxy, TLS with hostname verification, HTTP codec, WebSocket handshake, frame aggregation) and
 * ProtocolMessage framing in the client's wire format. Confined to the event loop it was opened
 * on; everything it reports reaches its {@link TransportListener} on that loop.
 */
@EventLoopConfined
public final class WebSocketTransport implements Transport {
  /** Name of the frame handler in the pipeline. */
  static final String FRAME_HANDLER = "ably-frames";
  /** The largest frame accepted: the protocol's maxFrameSize default (CD2d) with headroom. */
  static final int MAX_FRAME_BYTES = 1 << 20;
  /** Writes wait in the engine's queue, not in Netty's buffer, once this much is unsent. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  private final EventLoop loop;
  private final URI uri;
  private final WireFormat format;
  private final ProtocolCodec codec;
  /** Decodes this connection's frames, reusing its parser and scratch space between them. */
  private final FrameDecoder decoder;
  /** A received frame of up to this many bytes is copied into {@link #frameScratch} to be decoded. */
  private static final int MAX_KEPT_FRAME = 64 * 1024;
  /** Where a received frame in a direct buffer is copied to be decoded; loop-confined. */
  private byte[] frameScratch = new byte[0];
  /** Encodes this connection's frames, reusing its packer between them. */
  private final FrameEncoder encoder;
  private final TransportListener listener;
  private final Counters counters;
  /** The Netty channel, once the connect attempt has started (after the proxy's address is known). */
  private Channel channel;
  /** Writes {@link #channel}'s frames and flushes them once per pass of the loop. */
  private FlushCoalescer writer;
  /** True between the handshake completing and the socket closing. */
  private boolean open;
  /** True once close() or abort() was called: the end is not a failure. */
  private boolean closeRequested;
  /** True once onClosed was reported; nothing is reported after it. */
  private boolean ended;
  /** True while {@link #open} runs: nothing may be reported to the listener then. */
  private boolean starting;
  /** The first failure seen, reported when the channel closes. */
  private TransportFailure failure;
  /** True while the client asks for no more reads (inbound backpressure). */
  private boolean readsPaused;
  /**
   * True once the server's first frame (its CONNECTED or ERROR) was delivered. A transport opened
   * while reading is paused still reads that one: it is the connection's own handshake, and
   * without it the client would time out (80014) and back off while the application catches up.
   */
  private boolean greeted;
  /**
   * Frames read after reading was paused (the rest of the socket read that was under way), held
   * undecoded until reading resumes: at most one socket read's worth.
   */
  private final java.util.ArrayDeque<WebSocketFrame> held = new java.util.ArrayDeque<>();

  private WebSocketTransport(
      EventLoop loop, URI uri, WireFormat format, TransportListener listener, Counters counters) {
    this.loop = loop;
    this.counters = counters;
    this.uri = uri;
    this.format = format;
    this.codec = ProtocolCodec.of(format);
    this.decoder = codec.newReceiveFrameDecoder();
    this.encoder = codec.newFrameEncoder();
    this.listener = listener;
  }

  /**
   * Starts connecting; the outcome is reported to the listener on {@code loop}, always in a later
   * task of the loop (never from inside this call, even when the attempt fails at once), so that a
   * caller may open a transport from inside a state-machine effect.
   *
   * @param loop the client's event loop (NIO)
   * @param uri the {@code ws://} or {@code wss://} URL, from {@link ConnectionUrl}
   * @param format the wire format the URL asks for
   * @param ssl the client TLS context for {@code wss://}, or {@code null}
   * @param proxy an HTTP CONNECT proxy, or {@code null}
   * @param resolver the client's asynchronous address resolver
   * @param timeout the limit of TCP connect and of the WebSocket handshake, each
   * @param listener what to tell
   * @param counters where to count frames and bytes
   * @return the transport
   */
  public static WebSocketTransport open(
      EventLoop loop, URI uri, WireFormat format, SslContext ssl, ProxyOptions proxy,
      AddressResolverGroup<InetSocketAddress> resolver, Duration timeout, TransportListener listener,
      Counters counters) {
    assert loop.inEventLoop();
    WebSocketTransport t = new WebSocketTransport(loop, uri, format, listener, counters);
    t.starting = true;
    try {
      Proxies.resolveProxy(
          loop, resolver, proxy,
          (proxyAddress, failed) -> {
            if (failed != null) {
              t.fail(failed);
              t.endLater();
            } else if (t.closeRequested) {
              t.endLater();
            } else {
              t.connect(ssl, proxy, proxyAddress, resolver, timeout);
            }
          });
    } finally {
      t.starting = false;
    }
    return t;
  }

  private void connect(
      SslContext ssl, ProxyOptions proxy, InetSocketAddress proxyAddress,
      AddressResolverGroup<InetSocketAddress> resolver, Duration timeout) {
    boolean tls = "wss".equals(uri.getScheme());
    String host = uri.getHost();
    int port = uri.getPort();
    WebSocketClientProtocolConfig ws =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            .handshakeTimeoutMillis(timeout.toMillis())
            .dropPongFrames(true)
            .build();
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (proxy != null) {
                      p.addLast("proxy", Proxies.handler(proxy, proxyAddress));
                    }
                    if (tls && ssl != null) {
                      p.addLast("tls", ssl.newHandler(ch.alloc(), host, port)); // SNI + hostname check
                    }
                    p.addLast("http", new HttpClientCodec())
                        .addLast("http-aggregator", new HttpObjectAggregator(65_536))
                        .addLast("ws-handshake", new WebSocketClientProtocolHandler(ws))
                        .addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_FRAME_BYTES))
                        .addLast(FRAME_HANDLER, new FrameHandler());
                  }
                });
    ChannelFuture connect = Proxies.connect(b, resolver, proxy != null, host, port);
    channel = connect.channel();
    writer = new FlushCoalescer(channel);
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            fail(f.cause());
            endLater();
          }
        });
  }

  /**
   * Returns the URL this transport connects to.
   *
   * @return the URL
   */
  public URI uri() {
    return uri;
  }

  /**
   * Tells whether frames can be sent.
   *
   * @return {@code true} after the handshake and before the end
   */
  @Override
  public boolean isOpen() {
    return open;
  }

  /**
   * Encodes and sends one message. It is flushed to the socket when the event loop ends the
   * current pass, together with every other message sent in that pass.
   *
   * @param message the message
   * @return {@code false} when the transport is not open and nothing was sent
   */
  @Override
  public boolean send(ProtocolMessage message) {
    assert loop.inEventLoop();
    if (!open) {
      return false;
    }
    ByteBuf buf = channel.alloc().buffer();
    try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
      encoder.encode(message, out);
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
    WebSocketFrame frame =
        format.binaryFrames() ? new BinaryWebSocketFrame(buf) : new TextWebSocketFrame(buf);
    counters.frameSent(buf.readableBytes());
    writer.write(frame);
    return true;
  }

  /**
   * Ends the transport at once, without a close frame. Not a failure. Messages sent before, in
   * this pass of the loop, are flushed first, as they would have been had each been flushed alone.
   */
  @Override
  public void abort() {
    assert loop.inEventLoop();
    closeRequested = true;
    if (channel != null) {
      channel.flush();
      channel.close();
    }
  }

  /**
   * Pauses reading from the socket (Netty {@code autoRead} off, so TCP flow control holds the
   * server), or resumes it: first the frames held since the pause, in order, then the socket.
   * A frame delivered on resuming may pause reading again; the rest stay held.
   *
   * @param paused {@code true} to stop reading
   */
  @Override
  public void pauseReading(boolean paused) {
    assert loop.inEventLoop();
    readsPaused = paused;
    if (paused) {
      if (open && greeted) {
        channel.config().setAutoRead(false);
      }
      return;
    }
    while (!readsPaused && !held.isEmpty()) {
      WebSocketFrame frame = held.poll();
      try {
        if (!ended) {
          deliver(frame);
        }
      } finally {
        frame.release();
      }
    }
    if (!readsPaused && open) {
      channel.config().setAutoRead(true);
    }
  }

  private void deliver(WebSocketFrame frame) {
    ByteBuf content = frame.content();
    int length = content.readableBytes();
    counters.frameReceived(length);
    ProtocolMessage message;
    try {
      if (content.hasArray()) {
        message = decoder.decode(content.array(), content.arrayOffset() + content.readerIndex(), length);
      } else {
        // copied into an array kept for the connection: a NIO view of a pooled direct buffer
        // costs an object per frame (issue #20)
        byte[] bytes = frameScratch(length);
        content.getBytes(content.readerIndex(), bytes, 0, length);
        message = decoder.decode(bytes, 0, length);
      }
    } catch (WireFormatException e) {
      listener.onProtocolError(WebSocketTransport.this, e);
      return;
    }
    listener.onMessage(WebSocketTransport.this, message);
  }

  private void releaseHeld() {
    WebSocketFrame frame;
    while ((frame = held.poll()) != null) {
      frame.release();
    }
  }

  /** Whether the socket takes more writes now (below Netty's high water mark). */
  @Override
  public boolean isWritable() {
    return open && channel.isWritable();
  }

  private void fail(Throwable cause) {
    if (failure == null && !closeRequested) {
      failure = classify(cause, !open, uri.getHost());
    }
  }

  /** Reports the end in a later task: never from inside {@link #open}. */
  private void endLater() {
    if (starting) {
      loop.execute(this::end);
    } else {
      end();
    }
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    open = false;
    releaseHeld();
    TransportFailure f = closeRequested ? null : failure;
    if (f == null && !closeRequested) {
      f =
          new TransportFailure(
              ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "connection to " + uri.getHost() + " lost"),
              false);
    }
    listener.onClosed(this, f);
  }

  /**
   * RTN17f / RSC15l: what counts as "the host is unavailable", worth trying another one: refused,
   * unresolvable, unroutable, timed out, a 500–504 upgrade, or a connection that broke (reset,
   * closed) before the WebSocket opened, which is a host not serving either. Not a 4xx upgrade, a
   * proxy failure or a TLS failure: another host would answer the same.
   *
   * @param cause what went wrong
   * @param beforeOpen whether the WebSocket had not opened yet
   */
  static TransportFailure classify(Throwable cause, boolean beforeOpen) {
    return classify(cause, beforeOpen, "the host");
  }

  /**
   * As {@link #classify(Throwable, boolean)}, naming {@code host} where it helps: a TLS failure
   * says whether the certificate is not trusted or names another host, and what to do.
   */
  static TransportFailure classify(Throwable cause, boolean beforeOpen, String host) {
    String tls = tlsProblem(cause, host);
    if (tls != null) {
      // Every host would present the same certificate problem: no fallback.
      return new TransportFailure(ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, tls), false);
    }
    Throwable c = cause;
    while (c.getCause() != null && !(c instanceof WebSocketClientHandshakeException)) {
      if (c instanceof ConnectException
          || c instanceof UnknownHostException
          || c instanceof io.netty.handler.proxy.ProxyConnectException) {
        break;
      }
      c = c.getCause();
    }
    String what = c.getClass().getSimpleName() + ": " + c.getMessage();
    if (c instanceof WebSocketClientHandshakeException hs) {
      int status = hs.response() == null ? 0 : hs.response().status().code();
      boolean serverError = status >= 500 && status <= 504;
      return new TransportFailure(
          ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "WebSocket handshake failed: " + what),
          serverError);
    }
    if (c instanceof io.netty.handler.proxy.ProxyConnectException) {
      // The proxy refused (a 407, say) or failed: every fallback would go through it too.
      return new TransportFailure(
          ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "proxy failed: " + what), false);
    }
    boolean unreachable =
        c instanceof ConnectException
            || c instanceof UnknownHostException
            || c instanceof NoRouteToHostException
            || c instanceof io.netty.channel.ConnectTimeoutException
            || (beforeOpen && c instanceof IOException && !(c instanceof javax.net.ssl.SSLException));
    if (c instanceof ClosedChannelException) {
      return new TransportFailure(
          ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "connection closed before it opened"), true);
    }
    return new TransportFailure(
        ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "unable to connect: " + what), unreachable);
  }

  /** What a user can act on when TLS failed, or null when the cause is not a TLS failure. */
  private static String tlsProblem(Throwable cause, String host) {
    boolean tls = false;
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException) {
        tls = true;
      }
      if (c instanceof java.security.cert.CertPathBuilderException
          || c instanceof java.security.cert.CertPathValidatorException) {
        return "TLS handshake with " + host + " failed: the server's certificate is not trusted ("
            + c.getMessage() + "); if the service uses a private certificate authority, trust it"
            + " with ClientOptions.trustStore(...)";
      }
      if (c instanceof java.security.cert.CertificateException
          && c.getMessage() != null
          && (c.getMessage().startsWith("No subject alternative") || c.getMessage().startsWith("No name matching"))) {
        return "TLS handshake with " + host + " failed: the server's certificate does not match " + host
            + " (" + c.getMessage() + "); connect with a host name the certificate names";
      }
    }
    return tls ? "TLS handshake with " + host + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage() : null;
  }

  /** An array for a received frame of {@code length} bytes: the kept one, grown up to {@link #MAX_KEPT_FRAME}. */
  private byte[] frameScratch(int length) {
    if (length <= frameScratch.length) {
      return frameScratch;
    }
    if (length > MAX_KEPT_FRAME) {
      return new byte[length];
    }
    frameScratch = new byte[Math.min(MAX_KEPT_FRAME, Math.max(length, Math.max(1024, frameScratch.length * 2)))];
    return frameScratch;
  }

  /** Turns frames into ProtocolMessages and channel events into listener calls. */
  @EventLoopConfined
  private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        if (closeRequested) {
          ctx.close();
          return;
        }
        open = true; // reading goes on until the server's first frame, even while paused
        listener.onOpen(WebSocketTransport.this);
        return;
      }
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        // Netty closes the channel after this event without an exception: say why (RTN17f: a
        // host that does not complete the upgrade in time is unavailable).
        if (failure == null && !closeRequested) {
          failure = new TransportFailure(
              ErrorInfo.of(ErrorCode.CONNECTION_DISCONNECTED, "WebSocket handshake with " + uri.getHost() + " timed out"),
              true);
        }
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
      if (open && ctx.channel().isWritable()) {
        listener.onWritable(WebSocketTransport.this);
      }
      super.channelWritabilityChanged(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (ended || !(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)) {
        return;
      }
      if (readsPaused && greeted) {
        held.add(frame.retain()); // the rest of the read under way when reading paused
        return;
      }
      boolean first = !greeted;
      greeted = true;
      deliver(frame);
      if (first && readsPaused && !ended) {
        ctx.channel().config().setAutoRead(false); // a transport opened while the client lags
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      end();
      super.channelInactive(ctx);
    }
  }
}
