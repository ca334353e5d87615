package io.ably.engine.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.ChannelMode;
import io.ably.api.ChannelOptions;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.PresenceGetParams;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.spi.SubscriptionStore;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.Counters;
import io.ably.wire.Action;
import io.ably.wire.ChannelCipher;
import io.ably.wire.Flag;
import io.ably.wire.ProtocolMessage;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One channel against a scripted {@link ChannelContext}: no conductor, no socket. */
class ChannelCoreTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final Context ctx = new Context();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Records what the channel sends and logs; timers are never fired by themselves. */
  private final class Context implements ChannelContext {
    final Counters counters = new Counters();
    final CallbackDispatcher callbacks =
        new CallbackDispatcher(ClientOptions.builder().key("a.b:c").inlineCallbacks(true).build(),
            new ClientLog("t", Level.WARNING), counters, loop);
    final List<String> sent = new ArrayList<>();
    final List<ProtocolMessage> sentMessages = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<ErrorInfo> queuedFailed = new ArrayList<>();
    long now;
    String clientId = "me";
    String connectionId = "conn1";
    final List<PresenceMessage> presenceSent = new ArrayList<>();
    final List<ClientStage<PublishResult>> presenceStages = new ArrayList<>();

    @Override public Duration requestTimeout() {
      return Duration.ofSeconds(10);
    }

    @Override public Duration channelRetryTimeout() {
      return Duration.ofSeconds(15);
    }

    @Override public long now() {
      return now;
    }

    @Override public Cancellable schedule(Runnable task, long delayNanos) {
      return () -> {};
    }

    @Override public void execute(Runnable task) {
      loop.execute(task);
    }

    @Override public ChannelCipher.IvSource ivSource() {
      return iv -> java.util.Arrays.fill(iv, (byte) 7);
    }

    @Override public CallbackDispatcher callbacks() {
      return callbacks;
    }

    @Override public Counters counters() {
      return counters;
    }

    @Override public void log(Level level, Supplier<String> message) {
      if (level == Level.WARNING) {
        warnings.add(message.get());
      }
    }

    @Override public void logWarning(String message, Throwable thrown) {
      warnings.add(message);
    }

    @Override public void sendIfConnected(ProtocolMessage message) {
      sent.add(message.action() + ":" + message.channel());
      sentMessages.add(message);
    }

    @Override public void failQueuedFor(ChannelCore channel, ErrorInfo error) {
      queuedFailed.add(error);
    }

    @Override public String connectionId() {
      return connectionId;
    }

    @Override public String clientId() {
      return clientId;
    }

    @Override public void publishPresence(
        ChannelCore channel, List<PresenceMessage> presence, ClientStage<PublishResult> stage) {
      presenceStages.add(stage);
      for (PresenceMessage m : presence) {
        presenceSent.add(m);
        sent.add("PRESENCE:" + channel.name + ":" + m.action() + ":" + m.clientId());
      }
    }
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  private ChannelCore attachedChannel() throws Exception {
    return onLoop(() -> {
      ChannelCore core = new ChannelCore(ctx, "ch", ChannelOptions.defaults());
      core.register(ConnectionState.CONNECTED, null);
      core.attach(null);
      core.onAttached(ProtocolMessage.builder(Action.ATTACHED).channel("ch").build());
      return core;
    });
  }

  @Test
  void attachSendsAttachAndAttachedCompletesIt() throws Exception {
    ChannelCore core = attachedChannel();
    assertEquals(List.of("ATTACH:ch"), ctx.sent);
    assertEquals(ChannelState.ATTACHED, onLoop(core::state));
  }

  private static final SubscriptionStore.Position PROCESSED = new SubscriptionStore.Position("m5", "e:5:0");

  private static ProtocolMessage messages(int... ns) {
    List<Message> l = new ArrayList<>();
    for (int n : ns) {
      l.add(Message.builder().id("m" + n).serial("e:" + n + ":0").data(MessageData.text("" + n)).build());
    }
    return ProtocolMessage.builder(Action.MESSAGE).channel("ch").messages(l).build();
  }

  @Test
  void aRecoveredConnectionAttachesStrictlyAfterTheApplicationsPositionNotTheRecoveryKeysRTL4c1RTN16j()
      throws Exception {
    List<String> delivered = new ArrayList<>();
    ChannelOptions options = ChannelOptions.builder().resumeAfter(PROCESSED).build();
    onLoop(() -> {
      ChannelCore core = new ChannelCore(ctx, "ch", options);
      core.register(ConnectionState.CONNECTED, "e:3"); // the recovery key's serial is older
      core.addSubscriber(new ChannelCore.Subscriber(m -> true, m -> delivered.add(m.id())));
      core.onAttached(ProtocolMessage.builder(Action.ATTACHED).channel("ch").channelSerial("e:7")
          .flags(Flag.RESUMED.mask()).build());
      core.onMessages(messages(5, 6));
      core.onMessages(messages(7));
      return null;
    });
    assertEquals("e:5:0", ctx.sentMessages.get(0).channelSerial(), "RTL4c1: the application's position");
    assertEquals(List.of("m6", "m7"), delivered, "nothing at or before the position, even if resent");
  }

  @Test
  void withoutARecoveredConnectionTheFirstAttachIsAContinuityLossFromTheApplicationsPosition() throws Exception {
    List<String> losses = new ArrayList<>();
    ChannelOptions options = ChannelOptions.builder().resumeAfter(PROCESSED).build();
    onLoop(() -> {
      ChannelCore core = new ChannelCore(ctx, "ch", options);
      core.register(ConnectionState.CONNECTED, null);
      core.addContinuityListener(c -> losses.add(String.valueOf(c.resumed())));
      core.attach(null);
      core.onAttached(ProtocolMessage.builder(Action.ATTACHED).channel("ch").channelSerial("e:9").build());
      return null;
    });
    assertNull(ctx.sentMessages.get(0).channelSerial(), "a new connection: no serial to resume from");
    assertEquals(List.of("false"), losses, "NOTIFY: the application hears of the gap after its position");
  }

  @Test
  void optionsThatWouldChangeAnAttachedChannelAreRefusedOnTheLoopRTS3c1() throws Exception {
    ChannelCore core = attachedChannel();
    ChannelOptions subscribeOnly = ChannelOptions.builder().modes(ChannelMode.SUBSCRIBE).build();
    onLoop(() -> {
      core.setOptions(subscribeOnly);
      return null;
    });
    assertEquals(ChannelOptions.defaults(), onLoop(core::options), "the attached channel keeps its options");
    assertTrue(ctx.warnings.get(0).contains("RTS3c1"), ctx.warnings.toString());
  }

  @Test
  void reinitialiseLeavesAFailedChannelInitializedWithoutErrorRTN11d() throws Exception {
    ChannelCore core = attachedChannel();
    ClientStage<Void> detach = ctx.callbacks.newStage();
    onLoop(() -> {
      core.onError(ErrorInfo.of(ErrorCode.OPERATION_NOT_PERMITTED, "denied"));
      return null;
    });
    assertEquals(ChannelState.FAILED, onLoop(core::state));
    onLoop(() -> {
      core.detach(detach); // RTL5b: fails on a FAILED channel
      core.reinitialize();
      return null;
    });
    assertEquals(ChannelState.INITIALIZED, onLoop(core::state));
    assertNull(core.published.get().errorReason());
    assertTrue(detach.isCompletedExceptionally());
  }

  @Test
  void releaseEndsWhatWaitsOnTheLoopItselfForTheEnginesOwnContinuations() throws Exception {
    ChannelCore core = attachedChannel();
    List<ErrorInfo> ended = new ArrayList<>();
    onLoop(() -> {
      core.detach(ended::add); // an engine continuation: no callback thread involved
      core.released();
      return null;
    });
    assertEquals(1, ended.size());
    assertEquals(ErrorCode.CHANNEL_STATE_INVALID.code(), ended.get(0).code());
  }

  private static ProtocolMessage attached(boolean hasPresence) {
    return ProtocolMessage.builder(Action.ATTACHED).channel("ch")
        .flags(hasPresence ? Flag.HAS_PRESENCE.mask() : 0).build();
  }

  private static ProtocolMessage sync(String serial, PresenceMessage... members) {
    return ProtocolMessage.builder(Action.SYNC).channel("ch").channelSerial(serial)
        .presence(List.of(members)).build();
  }

  private static PresenceMessage present(String clientId, String conn, String id) {
    return new PresenceMessage(id, PresenceAction.PRESENT, clientId, conn, MessageData.text("x"), null, null, 5);
  }

  @Test
  void aGetWaitsForTheSyncThatAttachedWithHasPresenceAnnouncesRtp1Rtp11a() throws Exception {
    ClientStage<List<PresenceMessage>> get = ctx.callbacks.newStage();
    ChannelCore core = onLoop(() -> {
      ChannelCore c = new ChannelCore(ctx, "ch", ChannelOptions.defaults());
      c.register(ConnectionState.CONNECTED, null);
      c.attach(null);
      c.onAttached(attached(true));
      c.presence.get(PresenceGetParams.DEFAULT, get);
      return c;
    });
    assertFalse(get.isDone(), "the sync has not ended");
    assertFalse(core.published.presenceSynced());
    onLoop(() -> {
      core.onSync(sync("s1:more", present("bob", "c2", "c2:1:0")));
      return null;
    });
    assertFalse(get.isDone(), "the sync has a further page");
    onLoop(() -> {
      core.onSync(sync("s1:", present("ann", "c3", "c3:1:0")));
      return null;
    });
    assertEquals(List.of("bob", "ann"),
        get.get(5, TimeUnit.SECONDS).stream().map(PresenceMessage::clientId).toList());
    assertTrue(core.published.presenceSynced());
  }

  @Test
  void aPresenceActionOnAnInitializedChannelAttachesItAndIsSentOnAttachedRtp8dRtp16b() throws Exception {
    ClientStage<PublishResult> enter = ctx.callbacks.newStage();
    ChannelCore core = onLoop(() -> {
      ChannelCore c = new ChannelCore(ctx, "ch", ChannelOptions.defaults());
      c.register(ConnectionState.CONNECTED, null);
      c.presence.publish(PresenceMessage.of(PresenceAction.ENTER, null, null), true, enter);
      return c;
    });
    assertEquals(List.of("ATTACH:ch"), ctx.sent);
    onLoop(() -> {
      core.onAttached(attached(false));
      return null;
    });
    assertEquals(List.of("ATTACH:ch", "PRESENCE:ch:ENTER:null"), ctx.sent);
  }

  @Test
  void aPresenceActionWaitingForAttachFailsWhenTheChannelFailsRtp5() throws Exception {
    ClientStage<PublishResult> enter = ctx.callbacks.newStage();
    onLoop(() -> {
      ChannelCore c = new ChannelCore(ctx, "ch", ChannelOptions.defaults());
      c.register(ConnectionState.CONNECTED, null);
      c.presence.publish(PresenceMessage.of(PresenceAction.ENTER, null, null), true, enter);
      c.onError(ErrorInfo.of(ErrorCode.OPERATION_NOT_PERMITTED, "denied"));
      return null;
    });
    ExecutionException e = assertThrows(ExecutionException.class, () -> enter.get(5, TimeUnit.SECONDS));
    assertEquals(ErrorCode.CHANNEL_STATE_INVALID.code(), ((AblyException) e.getCause()).errorInfo().code());
    assertEquals(List.of("ATTACH:ch"), ctx.sent, "nothing was published");
  }

  @Test
  void enterWithoutAClientIdFailsAtOnceWith91000Rtp8j() throws Exception {
    ctx.clientId = null;
    ChannelCore core = attachedChannel();
    ClientStage<PublishResult> enter = ctx.callbacks.newStage();
    onLoop(() -> {
      core.presence.publish(PresenceMessage.of(PresenceAction.ENTER, null, null), true, enter);
      return null;
    });
    ExecutionException e = assertThrows(ExecutionException.class, () -> enter.get(5, TimeUnit.SECONDS));
    assertEquals(ErrorCode.PRESENCE_CLIENT_ID_REQUIRED.code(), ((AblyException) e.getCause()).errorInfo().code());
  }

  @Test
  void attachedWithoutHasPresenceEmitsALeaveForEveryMemberRtp19a() throws Exception {
    List<String> events = new ArrayList<>();
    ChannelCore core = onLoop(() -> {
      ChannelCore c = new ChannelCore(ctx, "ch", ChannelOptions.defaults());
      c.register(ConnectionState.CONNECTED, null);
      c.attach(null);
      c.onAttached(attached(true));
      c.onSync(sync("s1:", present("bob", "c2", "c2:1:0")));
      c.presence.addListener(new ChannelPresence.Listener(null, m -> events.add(m.action() + " " + m.clientId())));
      c.onAttached(attached(false)); // an UPDATE without RESUMED and without HAS_PRESENCE
      return c;
    });
    assertEquals(List.of("LEAVE bob"), events);
    assertTrue(core.published.presenceSynced());
  }

  @Test
  void detachedEmptiesThePresenceSetWithoutEventsRtp5a() throws Exception {
    List<String> events = new ArrayList<>();
    ClientStage<List<PresenceMessage>> get = ctx.callbacks.newStage();
    onLoop(() -> {
      ChannelCore c = new ChannelCore(ctx, "ch", ChannelOptions.defaults());
      c.register(ConnectionState.CONNECTED, null);
      c.attach(null);
      c.onAttached(attached(true));
      c.onSync(sync("s1:", present("bob", "c2", "c2:1:0")));
      c.presence.addListener(new ChannelPresence.Listener(null, m -> events.add(m.action() + " " + m.clientId())));
      c.detach((ChannelCore.Done) error -> {});
      c.onDetached(ProtocolMessage.builder(Action.DETACHED).channel("ch").build());
      c.presence.get(PresenceGetParams.DEFAULT.waitForSync(false), get);
      return c;
    });
    assertEquals(List.of(), events);
    ExecutionException e = assertThrows(ExecutionException.class, () -> get.get(5, TimeUnit.SECONDS));
    assertEquals(ErrorCode.CHANNEL_STATE_INVALID.code(), ((AblyException) e.getCause()).errorInfo().code());
  }

  private ChannelCore attachedWithOwnMember() throws Exception {
    return onLoop(() -> {
      ChannelCore c = new ChannelCore(ctx, "ch", ChannelOptions.defaults());
      c.register(ConnectionState.CONNECTED, null);
      c.attach(null);
      c.onAttached(attached(false));
      c.onPresence(ProtocolMessage.builder(Action.PRESENCE).channel("ch").id("conn1:4").connectionId("conn1")
          .timestampMillis(10L)
          .presence(List.of(PresenceMessage.of(PresenceAction.ENTER, "alice", MessageData.text("hi")))).build());
      c.onPresence(ProtocolMessage.builder(Action.PRESENCE).channel("ch").id("other:1").connectionId("other")
          .timestampMillis(11L)
          .presence(List.of(PresenceMessage.of(PresenceAction.ENTER, "bob", null)))
          .build());
      ctx.sent.clear();
      return c;
    });
  }

  @Test
  void ownMembersAreEnteredAgainWithTheirIdAndDataOnAttachedWithoutResumedRtp17iRtp17g() throws Exception {
    ChannelCore core = attachedWithOwnMember();
    onLoop(() -> {
      core.onAttached(attached(false)); // an UPDATE: the attachment was not resumed
      return null;
    });
    assertEquals(List.of("PRESENCE:ch:ENTER:alice"), ctx.sent, "only this connection's member");
    PresenceMessage again = ctx.presenceSent.get(0);
    assertEquals("conn1:4:0", again.id(), "RTP17g: same connection, same id");
    assertEquals(MessageData.text("hi"), again.data());
  }

  @Test
  void aResumedAttachDoesNotReenterAndANewConnectionDropsTheIdRtp17g1() throws Exception {
    ChannelCore core = attachedWithOwnMember();
    onLoop(() -> {
      core.onAttached(ProtocolMessage.builder(Action.ATTACHED).channel("ch").flags(Flag.RESUMED.mask()).build());
      return null;
    });
    assertEquals(List.of(), ctx.sent, "RESUMED: nothing to re-enter");
    ctx.connectionId = "conn2";
    onLoop(() -> {
      core.onAttached(attached(false));
      return null;
    });
    assertNull(ctx.presenceSent.get(0).id());
  }

  @Test
  void aFailedReentryIsReportedAsAnUpdateWith91004Rtp17e() throws Exception {
    ChannelCore core = attachedWithOwnMember();
    java.util.concurrent.CompletableFuture<io.ably.api.state.ChannelStateChange> failed =
        new java.util.concurrent.CompletableFuture<>();
    onLoop(() -> {
      core.addStateListener(change -> {
        if (change.reason() != null) {
          failed.complete(change);
        }
      });
      core.onAttached(attached(false)); // not resumed: alice is entered again
      return null;
    });
    assertEquals(List.of("PRESENCE:ch:ENTER:alice"), ctx.sent);
    assertFalse(failed.isDone());
    ctx.presenceStages.get(0).fail(new AblyException(ErrorInfo.of(ErrorCode.OPERATION_NOT_PERMITTED, "no")));
    io.ably.api.state.ChannelStateChange change = failed.get(5, TimeUnit.SECONDS);
    assertEquals(ChannelState.ATTACHED, change.current());
    assertEquals(io.ably.api.state.ChannelEvent.UPDATE, change.event());
    assertTrue(change.resumed());
    assertEquals(ErrorCode.PRESENCE_REENTER_FAILED.code(), change.reason().code());
  }

  @Test
  void leaveWithoutDataLeavesWithTheMembersLatestDataRtp10a() throws Exception {
    ctx.clientId = "alice";
    ChannelCore core = attachedWithOwnMember();
    ClientStage<PublishResult> leave = ctx.callbacks.newStage();
    ClientStage<PublishResult> leaveOther = ctx.callbacks.newStage();
    onLoop(() -> {
      core.presence.publish(PresenceMessage.of(PresenceAction.LEAVE, null, null), true, leave);
      core.presence.publish(PresenceMessage.of(PresenceAction.LEAVE, "carol", null), false, leaveOther);
      return null;
    });
    assertEquals(MessageData.text("hi"), ctx.presenceSent.get(0).data());
    assertNull(ctx.presenceSent.get(0).clientId(), "RTP10c: no clientId for the own member");
    assertNull(ctx.presenceSent.get(1).data(), "carol never entered on this connection");
  }
}
