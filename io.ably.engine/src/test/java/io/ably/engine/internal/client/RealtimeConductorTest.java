package io.ably.engine.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ChannelDirectory;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.PublishedState;
import io.ably.wire.Action;
import io.ably.wire.ConnectionDetails;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.RecoveryKey;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conductor and its parts without a socket: a {@link ScriptedNetwork} stands for the network,
 * protocol messages are fed as the transport would, on the client's loop.
 */
class RealtimeConductorTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final ScriptedNetwork network = new ScriptedNetwork(loop);
  private final Counters counters = new Counters();
  private final PublishedState published = new PublishedState();
  private RealtimeConductor conductor;
  private RealChannels channels;

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static ClientOptions.Builder options() {
    return ClientOptions.builder()
        .key("app.k:secret").host("127.0.0.1").tls(false).autoConnect(false).inlineCallbacks(true);
  }

  private void start(ClientOptions options) throws Exception {
    onLoop(() -> {
      ClientLog log = new ClientLog("test", Level.WARNING);
      CallbackDispatcher callbacks = new CallbackDispatcher(options, log, counters, loop);
      conductor = new RealtimeConductor(loop, options, published, callbacks, network, System::nanoTime, counters, log);
      channels = new RealChannels(conductor.gate(), conductor, "test", new ChannelDirectory<>());
      return null;
    });
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  private void feed(ProtocolMessage pm) throws Exception {
    onLoop(() -> {
      conductor.onMessage(network.last(), pm);
      return null;
    });
  }

  private void connected() throws Exception {
    onLoop(() -> {
      conductor.connect();
      return null;
    });
    feed(ProtocolMessage.builder(Action.CONNECTED).connectionId("c" + network.opened.size())
        .connectionDetails(new ConnectionDetails(null, "k!" + network.opened.size(), null, null, null, null, null, 15_000L, null, null, null))
        .build());
    assertEquals(ConnectionState.CONNECTED, published.get().state());
  }

  private Channel attached(String name) throws Exception {
    Channel ch = channels.get(name);
    CompletionStage<Void> attach = ch.attach();
    onLoop(() -> null); // the ATTACH is sent
    assertTrue(network.last().actions().contains("ATTACH:" + name), network.last().actions().toString());
    feed(ProtocolMessage.builder(Action.ATTACHED).channel(name).channelSerial("s1").build());
    attach.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(ChannelState.ATTACHED, ch.state());
    return ch;
  }

  private static ErrorInfo failure(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    try {
      f.join();
    } catch (CompletionException e) {
      return ((AblyException) e.getCause()).errorInfo();
    }
    throw new AssertionError("the stage succeeded");
  }

  @Test
  void connectingAgainAfterFailedReinitialisesTheChannelsWhichAttachAndPublishAgainRTN11d() throws Exception {
    start(options().build());
    connected();
    Channel ch = attached("ch");
    feed(ProtocolMessage.builder(Action.ERROR).error(ErrorInfo.of(ErrorCode.INVALID_CREDENTIALS, "key revoked")).build());
    assertEquals(ConnectionState.FAILED, published.get().state());
    assertEquals(ChannelState.FAILED, ch.state(), "RTL3a");
    assertEquals(40101, ch.errorReason().code());

    connected();
    assertEquals(ChannelState.INITIALIZED, ch.state(), "RTN11d: channels start afresh");
    assertNull(ch.errorReason(), "RTN11d: errorReason cleared");
    CompletionStage<PublishResult> sent = ch.publish("greeting", "hello");
    onLoop(() -> null);
    assertEquals(List.of("MESSAGE:ch#0"), network.last().actions(), "publishable again, numbered from 0");
    feed(ProtocolMessage.builder(Action.ACK).msgSerial(0L).count(1).build());
    sent.toCompletableFuture().get(5, TimeUnit.SECONDS);
    attached("ch");
  }

  @Test
  void connectingWhileClosingDetachesThenReinitialisesTheChannelsRTL3bRTN11b() throws Exception {
    start(options().build());
    connected();
    Channel ch = attached("ch");
    onLoop(() -> {
      conductor.close(conductor.gate().newStage(), () -> {});
      return null;
    });
    assertEquals(ConnectionState.CLOSING, published.get().state());
    List<ChannelState> seen = new CopyOnWriteArrayList<>();
    ch.onStateChange(change -> seen.add(change.current()));
    onLoop(() -> {
      conductor.connect();
      return null;
    });
    assertEquals(List.of(ChannelState.DETACHED, ChannelState.INITIALIZED), seen);
    assertEquals(ConnectionState.CONNECTING, published.get().state());
  }

  @Test
  void publishesWaitInTheEngineWhileTheSocketIsFullThenGoOutInOrder() throws Exception {
    start(options().build());
    connected();
    Channel ch = channels.get("ch");
    network.last().writable = false;
    List<CompletionStage<PublishResult>> stages = List.of(ch.publish("a", "1"), ch.publish("b", "2"), ch.publish("c", "3"));
    onLoop(() -> null);
    assertEquals(List.of(), network.last().actions(), "nothing handed to a socket that takes no more");
    assertEquals(3, counters.messagesPending());
    network.last().writable = true;
    onLoop(() -> {
      conductor.onWritable(network.last());
      return null;
    });
    assertEquals(List.of("MESSAGE:ch#0", "MESSAGE:ch#1", "MESSAGE:ch#2"), network.last().actions());
    feed(ProtocolMessage.builder(Action.ACK).msgSerial(0L).count(3).build());
    for (CompletionStage<PublishResult> s : stages) {
      s.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    assertEquals(0, counters.messagesPending());
  }

  @Test
  void aPublishBeyondMaxQueuedMessagesFailsAtOnceAndTheOthersStay() throws Exception {
    start(options().maxQueuedMessages(2).build());
    Channel ch = channels.get("ch");
    CompletionStage<PublishResult> first = ch.publish("a", "1");
    CompletionStage<PublishResult> second = ch.publish("b", "2");
    CompletionStage<PublishResult> third = ch.publish("c", "3");
    onLoop(() -> null);
    assertEquals(42910, failure(third).code());
    assertFalse(first.toCompletableFuture().isDone());
    assertFalse(second.toCompletableFuture().isDone());
    assertEquals(2, counters.messagesPending());
    assertEquals(1, counters.messagesRefused());
    connected();
    assertEquals(List.of("MESSAGE:ch#0", "MESSAGE:ch#1"), network.last().actions(), "the queued ones go out once connected");
  }

  @Test
  void releaseCompletesOnTheLoopEvenWhenTheApplicationsExecutorNeverRuns() throws Exception {
    // An executor that takes every task and runs none: the engine's own progress must not need it.
    start(options().inlineCallbacks(false).callbackExecutor(task -> {}).build());
    connected();
    Channel ch = channels.get("ch");
    ch.attach();
    onLoop(() -> null);
    feed(ProtocolMessage.builder(Action.ATTACHED).channel("ch").build());
    channels.release("ch");
    onLoop(() -> null);
    assertTrue(network.last().actions().contains("DETACH:ch"));
    feed(ProtocolMessage.builder(Action.DETACHED).channel("ch").build());
    assertFalse(channels.exists("ch"), "released on the loop, without the application's executor");
    assertEquals(0, counters.channels());
  }

  @Test
  void aRecoveredChannelSerialIsUsedByTheFirstChannelOfItsNameOnlyRTN16j() throws Exception {
    String recoveryKey =
        new RecoveryKey("old!key", 7, Map.of("ch", "serial-9")).toJson();
    start(options().recover(recoveryKey).build());
    connected();
    Channel first = channels.get("ch");
    first.attach();
    onLoop(() -> null);
    assertEquals("serial-9", lastAttach().channelSerial(), "RTN16j: the first attach resumes from the key's serial");
    feed(ProtocolMessage.builder(Action.ATTACHED).channel("ch").build());
    CompletionStage<Void> released = channels.release("ch");
    onLoop(() -> null);
    feed(ProtocolMessage.builder(Action.DETACHED).channel("ch").build());
    released.toCompletableFuture().get(5, TimeUnit.SECONDS);
    Channel again = channels.get("ch");
    again.attach();
    onLoop(() -> null);
    assertNull(lastAttach().channelSerial(), "a later channel of the same name starts afresh");
  }

  private ProtocolMessage lastAttach() {
    List<ProtocolMessage> sent = network.last().sent;
    for (int i = sent.size() - 1; i >= 0; i--) {
      if (sent.get(i).action() == Action.ATTACH) {
        return sent.get(i);
      }
    }
    throw new AssertionError("no ATTACH sent");
  }
}
