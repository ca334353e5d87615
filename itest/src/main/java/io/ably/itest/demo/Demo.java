package io.ably.itest.demo;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ChannelMetrics;
import io.ably.api.ChannelOptions;
import io.ably.api.CipherParams;
import io.ably.api.ClientMetrics;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.RestChannel;
import io.ably.api.rest.RestMetrics;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.jmx.AblyJmx;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The project's main job, shown end to end: an embedded testkit server and two clients, alice and
 * bob. They connect and ping; both attach a channel; alice publishes text, JSON, binary and
 * encrypted messages that bob receives; both enter the channel's presence, alice lists the members,
 * and both leave; alice publishes over REST and reads history page by page;
 * the server drops every socket and both clients resume,
 * their channels keeping continuity, and a message published while disconnected still arrives;
 * then the counters, and a clean close. With {@code ABLY_KEY} set it runs against the Ably service
 * instead (and {@code ABLY_ENDPOINT} chooses the endpoint), without the server's fault.
 *
 * <p>Only the public API is used: {@code io.ably.api}, {@code io.ably.jmx} and the testkit.
 */
public final class Demo {
  private static final String USAGE =
      """
      usage: java -jar itest/target/ably-demo.jar [--keep-running]
        --keep-running  keep the clients connected (alice publishes a tick every 5 s) until Ctrl-C
        environment: ABLY_KEY, or ABLY_TOKEN (a token for clientId *), and ABLY_ENDPOINT, to use the
          Ably service instead of the embedded server\
      """;
  private static final long WAIT_SECONDS = 20;
  /** How slow the network gets while the sockets drop: long enough to publish before reconnecting. */
  private static final Duration SLOW_NETWORK = Duration.ofMillis(500);

  private final Terminal out;
  private final AblyTestServer server;
  private final ClientOptions.Builder base;
  /** Empty on the embedded server; a random suffix on the Ably service, so runs do not meet. */
  private final String suffix;
  /** Every message bob's subscriptions receive, in order, for the main thread to wait on. */
  private final BlockingQueue<Message> bobInbox = new LinkedBlockingQueue<>();

  private Demo(Terminal out, AblyTestServer server, ClientOptions.Builder base, String suffix) {
    this.out = out;
    this.server = server;
    this.base = base;
    this.suffix = suffix;
  }

  /**
   * Runs the demo.
   *
   * @param args {@code --keep-running}, {@code --help}, or nothing
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    boolean keepRunning = false;
    for (String a : args) {
      if (a.equals("--keep-running")) {
        keepRunning = true;
      } else if (a.equals("--help") || a.equals("-h")) {
        System.out.println(USAGE);
        return;
      } else {
        System.err.println("error: unknown argument " + a);
        System.err.println(USAGE);
        System.exit(2);
        return;
      }
    }
    Terminal out = new Terminal(System.out);
    out.line("Ably realtime client for the JVM: two clients, alice and bob, and what they see.");
    out.line("Each line: time since start, who, what happened.");
    out.line("");
    String key = System.getenv("ABLY_KEY");
    String token = System.getenv("ABLY_TOKEN");
    boolean byToken = (key == null || key.isBlank()) && token != null && !token.isBlank();
    AblyTestServer server = null;
    try {
      Demo demo;
      if ((key != null && !key.isBlank()) || byToken) {
        // A token (ABLY_TOKEN, with a wildcard clientId so that alice and bob can use it) is not
        // renewed: the run must end before it expires (RSA4a).
        ClientOptions.Builder base = byToken ? ClientOptions.builder().token(token) : ClientOptions.builder().key(key);
        String endpoint = System.getenv("ABLY_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
          base.endpoint(endpoint);
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        demo = new Demo(out, null, base, "-" + HexFormat.of().formatHex(random));
        out.say("demo", "using the Ably service (" + (byToken ? "ABLY_TOKEN" : "ABLY_KEY") + " is set)");
      } else {
        server = AblyTestServer.builder().start();
        out.say("server", "embedded testkit listening on " + server.uri() + ", key " + server.defaultKey().keyName());
        ClientOptions.Builder base = ClientOptions.builder()
            .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false);
        demo = new Demo(out, server, base, "");
      }
      demo.run(keepRunning);
    } catch (ExecutionException e) {
      fail(e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      fail(e);
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private static void fail(Throwable e) {
    System.err.println("demo failed: " + e);
    System.exit(1);
  }

  private void run(boolean keepRunning) throws InterruptedException, ExecutionException, TimeoutException {
    out.heading("Two clients connect");
    RealtimeClient alice = client("alice");
    RealtimeClient bob = client("bob");
    for (RealtimeClient c : List.of(alice, bob)) {
      await(c.connection().whenState(ConnectionState.CONNECTED));
      out.say(c.name(), "connected, connection id " + c.connection().id());
      AblyJmx.register(c); // unregistered by itself when the client closes
      out.say(c.name(), "registered as MXBean " + AblyJmx.objectName(c));
    }

    out.heading("Ping: a HEARTBEAT round trip");
    for (int i = 1; i <= 3; i++) {
      Duration rtt = await(alice.connection().ping());
      out.say("alice", "ping " + i + ": round trip " + Terminal.millis(rtt));
    }

    out.heading("A channel, attached on both clients");
    Channel aliceDemo = alice.channels().get("demo" + suffix);
    Channel bobDemo = bob.channels().get("demo" + suffix);
    watch(alice, aliceDemo);
    watch(bob, bobDemo);
    await(aliceDemo.attach());
    await(bobDemo.attach());
    subscribe(bob, bobDemo);

    out.heading("alice publishes, bob receives: text, JSON and binary");
    exchange(aliceDemo, Message.of("greeting", MessageData.text("Hello, Bob!")));
    exchange(aliceDemo, Message.of("quote", MessageData.json("{\"symbol\":\"ABCD\",\"bid\":101.25}")));
    exchange(aliceDemo, Message.of("png-magic", MessageData.binary(new byte[] {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})));

    out.heading("An encrypted channel: AES-256-CBC, one key on both sides");
    ChannelOptions encrypted = ChannelOptions.builder().cipher(CipherParams.aes(CipherParams.generateKey())).build();
    out.say("demo", "alice and bob share a random " + encrypted.cipher().keyLength()
        + "-bit key; the server sees ciphertext only");
    Channel aliceSecret = alice.channels().get("secret" + suffix, encrypted);
    Channel bobSecret = bob.channels().get("secret" + suffix, encrypted);
    watch(alice, aliceSecret);
    watch(bob, bobSecret);
    await(aliceSecret.attach());
    await(bobSecret.attach());
    subscribe(bob, bobSecret);
    Message secret = exchange(aliceSecret, Message.of("note", MessageData.text("The vault code is 1234")));
    if (secret.encoding() != null) {
      throw new IllegalStateException("bob's client left the encoding " + secret.encoding());
    }
    out.say("bob", "bob's client decrypted it: no encoding left on the message");

    presence(aliceDemo, bobDemo);

    rest(alice, suffix);

    if (server != null) {
      dropAndResume(alice, bob, aliceDemo, bobDemo);
    }

    out.heading("Counters: client.metrics() and channel.metrics()");
    for (RealtimeClient c : List.of(alice, bob)) {
      counters(c, List.of(c == alice ? aliceDemo : bobDemo, c == alice ? aliceSecret : bobSecret));
    }
    out.say("demo", "alice receives her own messages too: echoMessages is on by default");
    out.say("demo", "the same live in JConsole: jconsole " + ProcessHandle.current().pid()
        + ", MBeans tab, io.ably" + (keepRunning ? "" : " (--keep-running leaves you time)"));

    if (keepRunning) {
      keepRunning(alice, bob, aliceDemo);
    }
    close(alice, bob);
  }

  /**
   * The server drops every socket while the network is slow; both clients resume the same
   * connection; their channels come back with continuity ({@code resumed=true}); a message alice
   * publishes before she has reconnected reaches bob, once.
   */
  private void dropAndResume(RealtimeClient alice, RealtimeClient bob, Channel aliceDemo, Channel bobDemo)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.heading("A dropped connection: resumed, with channel continuity");
    String aliceId = alice.connection().id();
    String bobId = bob.connection().id();
    CompletableFuture<Void> aliceLost = new CompletableFuture<>();
    CompletableFuture<ChannelStateChange> aliceBack = new CompletableFuture<>();
    CompletableFuture<ChannelStateChange> bobBack = new CompletableFuture<>();
    Subscription lostWatch = alice.connection().onStateChange(ch -> {
      if (ch.current() == ConnectionState.DISCONNECTED) {
        aliceLost.complete(null);
      }
    });
    Subscription aliceWatch = aliceDemo.onStateChange(ch -> reattached(ch, aliceBack));
    Subscription bobWatch = bobDemo.onStateChange(ch -> reattached(ch, bobBack));
    // Each listener is registered on its client's loop before these round trips come back.
    await(alice.connection().whenState(ConnectionState.CONNECTED));
    await(aliceDemo.whenState(ChannelState.ATTACHED));
    await(bobDemo.whenState(ChannelState.ATTACHED));

    out.say("server", "the network gets slow: each frame to a client now takes " + SLOW_NETWORK.toMillis() + " ms");
    server.faults().delayOutbound(SLOW_NETWORK);
    out.say("server", "drops every socket, abruptly (the connections' state is kept for resume)");
    server.faults().dropConnections();
    await(aliceLost);
    // The CONNECTED of the new socket is at least SLOW_NETWORK away: alice is not connected yet.
    ConnectionState stateWhenPublished = alice.connection().state();
    Message away = Message.of("away", MessageData.text("Sent while I was " + stateWhenPublished));
    CompletableFuture<PublishResult> acked = publish(aliceDemo, away);
    out.say("alice", "  (published while " + stateWhenPublished + ": it waits in alice's queue until she is back)");

    ChannelStateChange bobChange = bobBack.get(WAIT_SECONDS, TimeUnit.SECONDS);
    ChannelStateChange aliceChange = aliceBack.get(WAIT_SECONDS, TimeUnit.SECONDS);
    for (RealtimeClient c : List.of(alice, bob)) {
      String before = c == alice ? aliceId : bobId;
      await(c.connection().whenState(ConnectionState.CONNECTED));
      out.say(c.name(), before.equals(c.connection().id())
          ? "resumed the same connection " + before + " (RTN15)"
          : "could not resume: new connection " + c.connection().id());
    }
    Message got = receive("away");
    acked.get(WAIT_SECONDS, TimeUnit.SECONDS);
    continuity("alice", aliceDemo, aliceChange);
    continuity("bob", bobDemo, bobChange);
    out.say("bob", "got what alice published while she was not connected: " + Terminal.content(got.data()));

    // Frames to a client stay in order only while every one is delayed alike: drain with a ping
    // (its answer comes after everything sent before it), then make the network fast again.
    for (RealtimeClient c : List.of(alice, bob)) {
      out.say(c.name(), "ping: round trip " + Terminal.millis(await(c.connection().ping()))
          + " (the network is still slow)");
    }
    server.faults().delayOutbound(Duration.ZERO);
    out.say("server", "the network is fast again");
    exchange(aliceDemo, Message.of("back", MessageData.text("Welcome back, Bob!")));
    out.say("bob", "nothing lost and nothing twice: \"back\" came right after \"away\"");
    lostWatch.close();
    aliceWatch.close();
    bobWatch.close();
  }

  private void continuity(String who, Channel channel, ChannelStateChange ch) {
    out.say(who, ch.resumed()
        ? "channel " + channel.name() + " kept its continuity: resumed=true (RTL15b)"
        : "channel " + channel.name() + " lost continuity: messages may be missing");
  }

  private static void reattached(ChannelStateChange ch, CompletableFuture<ChannelStateChange> back) {
    if (ch.previous() == ChannelState.ATTACHING && ch.current() == ChannelState.ATTACHED) {
      back.complete(ch);
    }
  }

  private void counters(RealtimeClient c, List<Channel> channels) {
    ClientMetrics m = c.metrics();
    String who = c.name();
    out.say(who, "frames    " + m.framesReceived() + " in (" + Terminal.bytes(m.bytesReceived()) + "), "
        + m.framesSent() + " out (" + Terminal.bytes(m.bytesSent()) + ")");
    out.say(who, "resumes   " + Terminal.count(m.reconnects(), "reconnect", "reconnects") + ", "
        + Terminal.count(m.resumes(), "resume", "resumes") + ", " + m.failedResumes() + " failed resumes");
    out.say(who, "pings     " + m.pings() + ", median " + Terminal.millis(m.pingRttP50())
        + ", p99 " + Terminal.millis(m.pingRttP99()));
    out.say(who, "messages  " + m.messagesPublished() + " published, " + m.messagesAcknowledged()
        + " acknowledged, " + m.messagesRefused() + " refused, " + m.messagesPending() + " pending, "
        + m.messagesReceived() + " received");
    for (Channel ch : channels) {
      ChannelMetrics cm = ch.metrics();
      out.say(who, String.format(Locale.ROOT, "%-9s %d published, %d acknowledged, %d received, %s, %s",
          ch.name(), cm.messagesPublished(), cm.messagesAcknowledged(), cm.messagesReceived(),
          Terminal.count(cm.attaches(), "attach", "attaches"),
          Terminal.count(cm.continuityLosses(), "continuity loss", "continuity losses")));
    }
  }

  /** Until Ctrl-C: alice publishes a tick every 5 s, bob receives it; Ctrl-C closes both. */
  private void keepRunning(RealtimeClient alice, RealtimeClient bob, Channel aliceDemo) throws InterruptedException {
    out.heading("Running until Ctrl-C");
    out.say("demo", "alice publishes a tick every 5 s; watch the counters move in JConsole");
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-ticker");
      t.setDaemon(true);
      return t;
    });
    long[] n = {0};
    ticker.scheduleAtFixedRate(() -> {
      bobInbox.clear();
      publish(aliceDemo, Message.of("tick", MessageData.text("tick " + ++n[0])));
    }, 5, 5, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ticker.shutdownNow();
      try {
        close(alice, bob);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        System.err.println("close failed: " + e);
      }
    }, "demo-shutdown"));
    new CountDownLatch(1).await();
  }

  private void close(RealtimeClient alice, RealtimeClient bob)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.heading("Close");
    for (RealtimeClient c : List.of(alice, bob)) {
      await(c.connection().close());
      c.close();
    }
    out.say("demo", "both clients closed; bye");
  }

  /** A client that prints its connection's state changes from the very first one. */
  private RealtimeClient client(String name) {
    RealtimeClient c = Ably.realtime(base.name(name).clientId(name).autoConnect(false).build());
    c.connection().onStateChange(ch -> out.say(name, Terminal.describe(ch)));
    c.connection().connect();
    return c;
  }

  /** alice and bob enter the demo channel's presence, see who is here, and leave (RTP). */
  private void presence(Channel aliceDemo, Channel bobDemo) throws InterruptedException, ExecutionException, TimeoutException {
    out.heading("presence: alice and bob enter, see who is here, and leave");
    BlockingQueue<PresenceMessage> bobSees = new LinkedBlockingQueue<>();
    Subscription watching = bobDemo.presence().subscribe(m -> {
      String data = m.data() instanceof MessageData.Text t ? " \"" + t.value() + "\"" : "";
      out.say("bob", "presence  " + m.action() + " " + m.clientId() + data);
      bobSees.add(m);
    });
    try {
      await(aliceDemo.presence().enter(MessageData.text("hello from alice")));
      await(bobDemo.presence().enter(MessageData.text("hello from bob")));
      presenceEvent(bobSees);
      presenceEvent(bobSees);
      List<String> here = new ArrayList<>();
      for (PresenceMessage m : await(aliceDemo.presence().get())) {
        here.add(m.clientId());
      }
      Collections.sort(here);
      out.say("alice", "members: " + here);
      await(aliceDemo.presence().leave(null));
      presenceEvent(bobSees);
      await(bobDemo.presence().leave(null));
      presenceEvent(bobSees);
    } finally {
      watching.close();
    }
  }

  private static void presenceEvent(BlockingQueue<PresenceMessage> events) throws InterruptedException {
    if (events.poll(20, TimeUnit.SECONDS) == null) {
      throw new IllegalStateException("no presence event within 20 s");
    }
  }

  /** Prints a channel's state changes and any loss of continuity. */
  private void watch(RealtimeClient c, Channel channel) {
    channel.onStateChange(ch -> out.say(c.name(), Terminal.describe(channel.name(), ch)));
    channel.onContinuityLoss(ch -> out.say(c.name(), "channel " + channel.name()
        + " attached again WITHOUT continuity: messages may be missing"));
  }

  /** Subscribes bob: each message is printed as it arrives and handed to the main thread. */
  private void subscribe(RealtimeClient c, Channel channel) {
    channel.subscribe(m -> {
      out.say(c.name(), "received  " + Terminal.describe(m) + "  serial " + m.serial());
      bobInbox.add(m);
    });
    out.say(c.name(), "subscribed to " + channel.name());
  }

  /**
   * REST on alice's client (the same event loop, no connection needed): three messages published
   * in one HTTP request, then read back from history two a page, following the Link header.
   */
  private void rest(RealtimeClient alice, String suffix)
      throws InterruptedException, ExecutionException, TimeoutException {
    out.heading("REST: a publish and a history read over HTTP, on alice's event loop");
    RestChannel orders = alice.rest().channels().get("orders" + suffix);
    PublishResult sent =
        await(
            orders.publish(
                List.of(
                    Message.of("created", MessageData.json("{\"order\":42}")),
                    Message.of("paid", MessageData.text("42")),
                    Message.of("shipped", MessageData.text("42")))));
    out.say("alice", "REST publish of 3 messages in one request: serials " + String.join(", ", sent.serials()));
    PaginatedResult<Message> page =
        await(orders.history(HistoryParams.defaults().direction(Direction.FORWARDS).limit(2)));
    for (int n = 1; ; n++) {
      for (Message m : page.items()) {
        out.say("alice", "history page " + n + ": " + Terminal.describe(m) + "  id " + m.id());
      }
      if (page.isLast()) {
        break;
      }
      page = await(page.next());
    }
    RestMetrics rest = alice.metrics().rest();
    out.say("alice", "REST requests " + rest.requests() + ", failures " + rest.failures()
        + ", median latency " + Terminal.millis(rest.latencyP50()));
  }

  /** alice publishes; the acknowledgement is printed when it comes, with the serial. */
  private CompletableFuture<PublishResult> publish(Channel channel, Message m) {
    out.say("alice", "publish   " + Terminal.describe(m));
    return channel.publish(m).toCompletableFuture().thenApply(r -> {
      out.say("alice", String.format(Locale.ROOT, "ack       %-11s  serial %s",
          '"' + m.name() + '"', String.join(", ", r.serials())));
      return r;
    });
  }

  /** alice publishes, bob receives: returns what bob received once both the ack and it are in. */
  private Message exchange(Channel channel, Message m) throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<PublishResult> acked = publish(channel, m);
    Message got = receive(m.name());
    acked.get(WAIT_SECONDS, TimeUnit.SECONDS);
    if (!m.data().equals(got.data())) {
      throw new IllegalStateException("bob received " + got.data() + " instead of " + m.data());
    }
    return got;
  }

  private Message receive(String name) throws InterruptedException, TimeoutException {
    Message got = bobInbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (got == null) {
      throw new TimeoutException("bob did not receive \"" + name + "\" in " + WAIT_SECONDS + " s");
    }
    if (!name.equals(got.name())) {
      throw new IllegalStateException("bob received \"" + got.name() + "\" where \"" + name + "\" was next");
    }
    return got;
  }

  private static <T> T await(CompletionStage<T> stage)
      throws InterruptedException, ExecutionException, TimeoutException {
    return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
