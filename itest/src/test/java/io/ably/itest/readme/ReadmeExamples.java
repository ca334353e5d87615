package io.ably.itest.readme;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.CipherParams;
import io.ably.api.ContinuityPolicy;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.DeriveOptions;
import io.ably.api.Connection;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.auth.Capability;
import io.ably.api.auth.TokenParams;
import io.ably.api.auth.TokenRequest;
import io.ably.api.event.EventName;
import io.ably.api.event.TypedChannel;
import io.ably.api.filter.Field;
import io.ably.api.filter.Filter;
import io.ably.api.filter.FilterSyntaxException;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.BatchPublishResult;
import io.ably.api.rest.BatchPublishSpec;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.RestChannel;
import io.ably.api.rest.RestClient;
import io.ably.api.rest.Stats;
import io.ably.api.rest.StatsParams;
import io.ably.api.spi.SubscriptionStore;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Every Java sample of the README, verbatim, so that the build compiles them;
 * {@link ReadmeExamplesTest} fails when the README and this file drift apart.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  /** README: quick start. */
  static void quickStart() {
    try (AblyTestServer server = AblyTestServer.builder().start();          // local, Ably-compatible
         RealtimeClient client = Ably.realtime(ClientOptions.builder()
             .key(server.defaultKey().keyStr())
             .host("127.0.0.1").port(server.port()).tls(false)
             .build())) {
      client.connection().onStateChange(change -> System.out.println("connection: " + change.current()));

      Channel chat = client.channels().get("chat");
      CompletableFuture<Message> received = new CompletableFuture<>();
      chat.subscribe(received::complete);                                  // attaches the channel
      chat.whenState(ChannelState.ATTACHED).toCompletableFuture().join();

      chat.publish("greeting", "hello").toCompletableFuture().join();      // acknowledged
      System.out.println("received: " + received.join().data());

      client.connection().close().toCompletableFuture().join();
    }
  }

  /** README: connecting, watching the connection, pinging. */
  static void connectWatchPing() {
    ClientOptions options = ClientOptions.builder()
        .key(System.getenv("ABLY_KEY"))          // appId.keyId:keySecret
        .clientId("desk-7")                      // optional
        .build();                                // bad values fail here, naming field and value

    try (RealtimeClient client = Ably.realtime(options)) {      // connects at once (autoConnect)
      Connection connection = client.connection();
      Subscription watching = connection.onStateChange(change ->
          System.out.println(change.previous() + " -> " + change.current()
              + (change.reason() == null ? "" : " because " + change.reason())
              + (change.retryIn() == null ? "" : ", retry in " + change.retryIn())));

      connection.whenState(ConnectionState.CONNECTED).toCompletableFuture().join();
      System.out.println("connected as " + connection.id());

      Duration rtt = connection.ping().toCompletableFuture().join();   // HEARTBEAT round trip (RTN13)
      System.out.println("ping " + rtt.toNanos() / 1_000 + " µs");

      watching.close();
      connection.close().toCompletableFuture().join();                 // CLOSING -> CLOSED
    }
  }

  /** README: presence. */
  static void presence(RealtimeClient client) {
    Channel room = client.channels().get("room");               // client built with clientId("alice")
    Subscription watching = room.presence().subscribe(member ->  // attaches the channel (RTP6d)
        System.out.println(member.action() + " " + member.clientId() + " " + member.data()));
    room.presence().subscribe(PresenceAction.LEAVE, gone -> System.out.println(gone.clientId() + " left"));

    room.presence().enter(MessageData.text("hello")).toCompletableFuture().join();   // acknowledged
    room.presence().update(MessageData.json("{\"status\":\"busy\"}"));
    List<PresenceMessage> here = room.presence().get()          // waits for the SYNC to end (RTP11a)
        .toCompletableFuture().join();
    System.out.println(here.size() + " members, synced: " + room.presence().syncComplete());

    room.presence().leave(null).toCompletableFuture().join();
    watching.close();
  }

  /** README: channels. */
  static void channels(RealtimeClient client, byte[] key) {
    Channel quotes = client.channels().get("quotes");            // the same object on every get
    Subscription subscribed = quotes.subscribe(message ->        // attaches the channel (RTL7g)
        System.out.println(message.name() + " " + message.data() + " serial " + message.serial()));
    quotes.subscribe("trade", message -> System.out.println("trade only: " + message.data()));

    quotes.whenState(ChannelState.ATTACHED).toCompletableFuture().join();
    PublishResult sent = quotes.publish("trade", "{\"px\":101.25}")       // a name and text
        .toCompletableFuture().join();                                      // acknowledged (ACK)
    System.out.println("serial " + sent.serials().get(0));

    quotes.onContinuityLoss(change ->                           // attached again without RESUMED:
        System.out.println("messages may be missing: " + change.reason()));   // backfill from history

    Channel secret = client.channels().get("secret",
        ChannelOptions.builder().cipher(CipherParams.aes(key)).rewind(10).build());
    secret.publish("note", MessageData.json("{\"k\":1}"));      // encrypted with AES-256-CBC

    subscribed.close();
    quotes.detach().toCompletableFuture().join();
  }

  /** README: messages and errors. */
  static void messagesAndErrors() {
    Message m = Message.builder()
        .name("quote")
        .json("{\"symbol\":\"ABCD\",\"bid\":101.25}")   // or .text("...") or .binary(bytes)
        .extras("{\"headers\":{\"source\":\"desk-7\"}}")
        .build();
    int size = m.size();                                 // as Ably counts it (TM6)

    if (m.data() instanceof MessageData.Json json) {      // MessageData is sealed: Text, Binary, Json
      parseWithYourJsonLibrary(json.json());
    }

    try {
      ClientOptions.builder().key("not-a-key").build();
    } catch (AblyException e) {
      if (e.errorInfo().is(ErrorCode.INVALID_CREDENTIAL)) {   // 40005 / 400
        System.err.println(e.getMessage());
      }
    }
  }

  /** README: the testkit in your tests. */
  static void testkitInYourTests() {
    try (AblyTestServer server = AblyTestServer.builder()       // 127.0.0.1, ephemeral port
            .key("myapp.key1:secret")                            // or the default testapp.key1:testsecret1
            .key(new TestKey("myapp.ro", "s3", "{\"*\":[\"subscribe\"]}"))   // a key with a capability
            .start()) {
      int port = server.port();                                  // point any Ably client here, tls=false
      server.faults().dropConnections();                         // abrupt socket drop; state kept for resume
      server.faults().failNextResume();                          // next resume: new connection id + 80008
      server.faults().nackNextPublish(ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "injected"));
    }
  }

  /** README: REST. */
  static void rest() {
    try (AblyTestServer server = AblyTestServer.builder().start();
         RestClient rest = Ably.rest(ClientOptions.builder()
             .key(server.defaultKey().keyStr())
             .host("127.0.0.1").port(server.port()).tls(false)
             .build())) {
      RestChannel orders = rest.channels().get("orders");
      orders.publish("created", MessageData.json("{\"id\":42}")).toCompletableFuture().join();
      orders.publish(List.of(Message.ofText("paid", "42"), Message.ofText("shipped", "42")))   // one request
          .toCompletableFuture().join();

      PaginatedResult<Message> page = orders.history(HistoryParams.defaults().limit(2))   // newest first
          .toCompletableFuture().join();
      while (true) {
        page.items().forEach(m -> System.out.println(m.name() + " " + m.data()));
        if (page.isLast()) {
          break;
        }
        page = page.next().toCompletableFuture().join();                   // follows the Link header
      }

      Stats minute = rest.stats(StatsParams.defaults()).toCompletableFuture().join().items().get(0);
      System.out.println("messages this minute: " + minute.count("messages.all.all.count"));

      List<BatchPublishResult> results = rest.batchPublish(List.of(
              new BatchPublishSpec(List.of("orders", "audit"), List.of(Message.ofText("closed", "42")))))
          .toCompletableFuture().join();                                    // one result per channel
      results.forEach(r -> System.out.println(r.channel() + (r.success() ? " ok" : " refused: " + r.error())));
    }
  }

  /** README: token authentication, the backend. */
  static Function<String, CompletionStage<String>> backendIssuesTokens() {
    RestClient ably = Ably.rest(ClientOptions.forKey(System.getenv("ABLY_KEY")));   // the backend holds the key

    // The body of the endpoint, once the session says who the user is; answer it as application/json.
    Function<String, CompletionStage<String>> tokenRequestFor = user -> ably.auth()
        .createTokenRequest(TokenParams.empty()
            .withClientId(user)                                                     // who the token is for
            .withCapability(Capability.of(Map.of(                                   // what it may do
                "public:*", List.of("subscribe"),
                "private:" + user, List.of("publish", "subscribe", "presence"))))
            .withTtl(Duration.ofMinutes(30)), null)
        .thenApply(TokenRequest::toJson);
    return tokenRequestFor;
  }

  /** README: token authentication, the clients. */
  static List<ClientOptions> clientsObtainTokens(String session) {
    ClientOptions byUrl = ClientOptions.builder()
        .authUrl("https://your-backend.invalid/ably-token")   // GET by default; authMethod(AuthMethod.POST)
        .authHeader("Cookie", "session=" + session)            // sent to the authUrl, never logged
        .build();

    ClientOptions byCallback = ClientOptions.builder()
        .authCallback(params -> fetchFromYourBackend(params)   // any CompletionStage<String> of its JSON
            .thenApply(TokenRequest::fromJson))                 // or a TokenDetails, or AuthResult.token(jwt)
        .build();
    return List.of(byUrl, byCallback);
  }

  private static CompletionStage<String> fetchFromYourBackend(TokenParams params) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("a sample: " + params));
  }

  private static void parseWithYourJsonLibrary(String json) {
    if (json.isEmpty()) {
      throw new IllegalArgumentException("empty JSON");
    }
  }

  /** README: filtering (a client connected to the testkit). */
  static void filtering(RealtimeClient client) {
    Filter trades = Filter.parse(
        "name = 'trade' AND headers.symbol IN ('AAPL','MSFT') AND headers.qty >= 100 AND NOT headers.test");
    System.out.println(trades.toJmesPath());
    // name == `"trade"` && (headers.symbol == `"AAPL"` || headers.symbol == `"MSFT"`)
    //     && headers.qty >= `100` && !headers.test
    Filter typed = Filter.allOf(Field.NAME.eq("trade"), Field.header("symbol").in("AAPL", "MSFT"),
        Field.header("qty").ge(100), Field.header("test").truthy().negate());
    System.out.println(typed.equals(trades));                                // true
    try {
      Filter.parse("headers.qty >= 'ten'");
    } catch (FilterSyntaxException e) {
      System.out.println(e.getMessage());  // ...column 16: expected a number after >= (JMESPath orders numbers only)...
    }

    Channel bigTrades = client.channels().getDerived("quotes", DeriveOptions.filter(trades));
    bigTrades.subscribe(m -> System.out.println("server-filtered: " + m.data()));   // matching only
    client.channels().get("quotes")
        .subscribe(trades.predicate(), m -> System.out.println("client-filtered: " + m.data()));
  }

  // README: typed events.
  @EventName("trade")
  public record Trade(String symbol, BigDecimal price, long qty, Instant at) {}

  static void typedEvents(RealtimeClient client) {
    TypedChannel<Trade> trades = client.channels().get("desk").typed(Trade.class);
    trades.onDecodeFailure(f -> System.out.println("not a trade: " + f.message().id() + " " + f.cause()));
    CompletableFuture<Trade> got = new CompletableFuture<>();
    trades.subscribe(got::complete);                             // messages named "trade" only
    trades.channel().whenState(ChannelState.ATTACHED).toCompletableFuture().join();
    trades.publish(new Trade("AAPL", new BigDecimal("187.25"), 100, Instant.now()))
        .toCompletableFuture().join();
    System.out.println("received " + got.join());
  }

  /** README "Zero-loss delivery": two runs of a worker; the second continues where the first stopped. */
  static List<String> zeroLoss(Path stateDir) {
    List<String> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (AblyTestServer server = AblyTestServer.builder().start()) {
      ClientOptions options = ClientOptions.builder()
          .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false)
          .name("orders-worker")                                        // names the stored state
          .subscriptionStore(SubscriptionStore.inDirectory(stateDir))   // one small file per name
          .build();
      ChannelOptions gapless = ChannelOptions.builder()
          .continuity(ContinuityPolicy.BACKFILL)   // fill every continuity loss from history
          .persistent(true)                        // and continue from here in the next run
          .build();

      try (RealtimeClient worker = Ably.realtime(options)) {                 // first run
        Channel orders = worker.channels().get("orders", gapless);
        orders.onContinuityLoss(change -> System.out.println(                 // only if history fell short
            "hole after " + change.gap().lastDeliveredId() + ", recovered " + change.gap().recovered()));
        CompletableFuture<Void> first = new CompletableFuture<>();
        orders.subscribe(message -> { processed.add(message.name()); first.complete(null); });
        orders.publish("order-1", "{}").toCompletableFuture().join();
        first.join();
      }                                                                       // closing stores the position

      try (RestClient rest = Ably.rest(options)) {                            // while no worker runs
        rest.channels().get("orders").publish("order-2", "{}").toCompletableFuture().join();
        rest.channels().get("orders").publish("order-3", "{}").toCompletableFuture().join();
      }

      try (RealtimeClient worker = Ably.realtime(options)) {                  // next run
        Channel orders = worker.channels().get("orders", gapless);
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        orders.subscribe(message -> {                                         // order-2, order-3: from history
          processed.add(message.name());
          if (message.name().equals("order-3")) {
            caughtUp.complete(null);
          }
        });
        caughtUp.join();
      }
    }
    return processed;
  }

  /**
   * README "Zero-loss delivery", exactly once: the application keeps its position in its own
   * store (a file here) and gives it back with resumeAfter; two runs, a message published between.
   */
  static List<String> exactlyOnce(Path ledger) throws IOException {
    List<String> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (AblyTestServer server = AblyTestServer.builder().start()) {
      ClientOptions options = ClientOptions.builder()
          .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false).build();
      for (int run = 1; run <= 2; run++) {
        try (RestClient rest = Ably.rest(options)) {
          rest.channels().get("orders").publish("order-" + run, "{}").toCompletableFuture().join();
        }
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        String lastName = "order-" + run;
        // one run of the worker:
        ChannelOptions.Builder exactlyOnce = ChannelOptions.builder().continuity(ContinuityPolicy.BACKFILL);
        List<String> done = Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
        if (!done.isEmpty()) {                                   // "<name> <id> <serial>" per message
          String[] last = done.get(done.size() - 1).split(" ");
          exactlyOnce.resumeAfter(new SubscriptionStore.Position(last[1], last[2]));
        } else {
          exactlyOnce.rewind(1);                                 // the first run starts with the latest
        }
        try (RealtimeClient worker = Ably.realtime(options)) {
          Channel orders = worker.channels().get("orders", exactlyOnce.build());
          orders.subscribe(message -> {
            process(message);                                    // its effects and its position,
            append(ledger, message.name() + " " + message.id() + " " + message.serial()); // together
            processed.add(message.name());
            if (message.name().equals(lastName)) {
              caughtUp.complete(null);
            }
          });
          caughtUp.join();
        }
      }
    }
    return processed;
  }

  /**
   * README "Zero-loss delivery", acknowledged: the library keeps the last acknowledged position;
   * a message the first run did not acknowledge is delivered again to the second.
   */
  static List<String> acknowledged(Path stateDir) {
    List<String> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (AblyTestServer server = AblyTestServer.builder().start()) {
      ClientOptions options = ClientOptions.builder()
          .key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port()).tls(false)
          .name("orders-worker").subscriptionStore(SubscriptionStore.inDirectory(stateDir)).build();
      try (RestClient rest = Ably.rest(options)) {
        rest.channels().get("orders").publish("order-0", "{}").toCompletableFuture().join(); // before
      }
      for (int run = 1; run <= 2; run++) {
        boolean firstRun = run == 1;
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        // one run of the worker:
        ChannelOptions acknowledged = ChannelOptions.builder()
            .continuity(ContinuityPolicy.BACKFILL)
            .persistent(true)                    // the store keeps the position...
            .manualAcknowledgement(true)         // ...of the last message acknowledged
            .build();
        try (RealtimeClient worker = Ably.realtime(options)) {
          Channel orders = worker.channels().get("orders", acknowledged);
          orders.subscribe(message -> {
            if (!process(message, firstRun)) {
              caughtUp.complete(null);
              return;                            // not acknowledged: the next run gets it again
            }
            processed.add(message.name());
            orders.acknowledge(message)          // completes once the position is on disk
                .whenComplete((ok, failed) -> {
                  if (failed != null) {
                    System.err.println("not acknowledged: " + failed);
                  } else if (message.name().equals("order-3")) {
                    caughtUp.complete(null);
                  }
                });
          });
          orders.attach().toCompletableFuture().join();
          if (firstRun) {
            orders.publish("order-1", "{}").toCompletableFuture().join();
            orders.publish("order-2", "{}").toCompletableFuture().join();
          } else {
            orders.publish("order-3", "{}").toCompletableFuture().join();
          }
          caughtUp.join();
        }
      }
    }
    return processed;
  }

  /** Processes an order; the first run fails on order-2. */
  private static boolean process(Message message, boolean firstRun) {
    return !(firstRun && message.name().equals("order-2"));
  }

  private static void process(Message message) {
    // the application's work
  }

  private static void append(Path file, String line) {
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
