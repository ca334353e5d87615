package io.ably.itest.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay on plain sockets: either a fixed forwarder to one target, or an HTTP CONNECT
 * proxy (optionally requiring {@code Proxy-Authorization: Basic}). Records the CONNECT targets.
 * {@link #close()} stops accepting, closes every socket and joins every thread.
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress forwardTo;
  private final String requiredAuthorization;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /**
   * Set before the listener closes. An accept() already in the kernel may still hand over a
   * connection after ServerSocket.close(): every socket is added to {@link #sockets} before this
   * flag is read, so either {@link #close()} or the thread that got it closes it.
   */
  private volatile boolean closing;
  /** The {@code host:port} of every CONNECT request, in arrival order. */
  final ConcurrentLinkedQueue<String> connectTargets = new ConcurrentLinkedQueue<>();
  /** The {@code Proxy-Authorization} header of every CONNECT request ("" when absent). */
  final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();

  /** Host names only this proxy knows, and the loopback address each stands for. */
  private final Map<String, String> knownHosts;

  private TcpRelay(InetSocketAddress forwardTo, String username, String password) throws IOException {
    this(forwardTo, username, password, "127.0.0.1", Map.of());
  }

  private TcpRelay(
      InetSocketAddress forwardTo, String username, String password, String bindHost, Map<String, String> knownHosts)
      throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getByName(bindHost));
    this.forwardTo = forwardTo;
    this.knownHosts = Map.copyOf(knownHosts);
    this.requiredAuthorization =
        username == null
            ? null
            : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    start("relay-accept-" + server.getLocalPort(), this::acceptLoop);
  }

  /** A forwarder: every accepted socket is piped to {@code target}. */
  static TcpRelay forwarder(InetSocketAddress target) throws IOException {
    return new TcpRelay(target, null, null);
  }

  /** A forwarder listening on {@code bindHost} (a loopback address) instead of 127.0.0.1. */
  static TcpRelay forwarder(String bindHost, InetSocketAddress target) throws IOException {
    return new TcpRelay(target, null, null, bindHost, Map.of());
  }

  /**
   * An HTTP CONNECT proxy that resolves {@code knownHosts} itself, names no one else can resolve
   * (the DNS of a corporate proxy), each to a loopback address.
   */
  static TcpRelay connectProxy(Map<String, String> knownHosts) throws IOException {
    return new TcpRelay(null, null, null, "127.0.0.1", knownHosts);
  }

  /** An HTTP CONNECT proxy; with a username, it answers 407 unless the Basic credentials match. */
  static TcpRelay connectProxy(String username, String password) throws IOException {
    return new TcpRelay(null, username, password);
  }

  int port() {
    return server.getLocalPort();
  }

  private void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException closed) {
        return;
      }
      sockets.add(s);
      if (closing) {
        closeQuietly(s);
        return;
      }
      start("relay-conn-" + s.getPort(), () -> serve(s));
    }
  }

  private void serve(Socket client) {
    try {
      InetSocketAddress target = forwardTo;
      if (target == null) {
        target = readConnect(client);
        if (target == null) {
          client.close();
          return;
        }
      }
      Socket upstream = new Socket();
      sockets.add(upstream);
      if (closing) {
        closeQuietly(upstream);
        closeQuietly(client);
        return;
      }
      upstream.connect(target, 5_000);
      if (forwardTo == null) {
        client.getOutputStream().write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
      }
      start("relay-up-" + client.getPort(), () -> pipe(upstream, client));
      pipe(client, upstream);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  /** Reads a CONNECT request; answers 405/407 and returns null when it is refused. */
  private InetSocketAddress readConnect(Socket client) throws IOException {
    InputStream in = client.getInputStream();
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (prev == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
          break;
        }
        lines.add(text);
        line.reset();
      } else {
        line.write(b);
      }
      prev = b;
    }
    String[] request = lines.get(0).split(" ");
    OutputStream out = client.getOutputStream();
    if (request.length < 2 || !request[0].equals("CONNECT")) {
      out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      return null;
    }
    connectTargets.add(request[1]);
    String authorization = "";
    for (String header : lines.subList(1, lines.size())) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("proxy-authorization")) {
        authorization = header.substring(colon + 1).trim();
      }
    }
    authorizations.add(authorization);
    if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
      out.write(
          ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                  + "Content-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return null;
    }
    int colon = request[1].lastIndexOf(':');
    String host = request[1].substring(0, colon);
    return new InetSocketAddress(knownHosts.getOrDefault(host, host), Integer.parseInt(request[1].substring(colon + 1)));
  }

  private static void pipe(Socket from, Socket to) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed: close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Closes every socket, so clients see their connections drop. */
  private void dropAll() {
    sockets.forEach(TcpRelay::closeQuietly);
  }

  @Override
  public void close() throws IOException {
    closing = true;
    server.close();
    dropAll();
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while closing the relay", e);
      }
      if (t.isAlive()) {
        throw new IllegalStateException("relay thread did not end: " + t.getName());
      }
    }
  }
}
