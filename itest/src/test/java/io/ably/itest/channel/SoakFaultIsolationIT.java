package io.ably.itest.channel;

import io.ably.itest.support.Eventually;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Channel;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.message.MessageData;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.itest.Faults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chaos soak's faults one kind at a time (issue #19): one publisher and one subscriber on a
 * few channels, publishing all along while the testkit injects a single kind of fault a few times.
 * None of these faults loses a connection's state, so the subscriber must receive every
 * acknowledged message exactly once and in order, with no continuity loss reported (RTN15c6,
 * RTL4c1, RTN19a).
 */
class SoakFaultIsolationIT extends ChannelTestSupport {
  private static final int CHANNELS = 3;
  private static final int FAULTS = 6;

  /** A fault of the soak's schedule that keeps every connection resumable. */
  enum Fault {
    DROP_CONNECTIONS(Faults::dropConnections),
    RESET_CONNECTIONS(Faults::resetConnections),
    DISCONNECT_ALL_WITH_ERROR(f -> f.disconnectAll(ErrorInfo.of(ErrorCode.TIMEOUT, "isolated fault"))),
    DISCONNECT_ALL_WITHOUT_ERROR(f -> f.disconnectAll(null)),
    DELAY_OUTBOUND_THEN_DROP(f -> {
      f.delayOutbound(Duration.ofMillis(300));
      f.dropConnections();
      f.delayOutbound(Duration.ZERO);
    });

    final Consumer<Faults> inject;

    Fault(Consumer<Faults> inject) {
      this.inject = inject;
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void everyAcknowledgedMessageArrivesOnceInOrderThroughResumableFaultsRTN15c6RTL4c1RTN19a(Fault fault)
      throws Exception {
    for (boolean binary : new boolean[] {false, true}) {
      runOnce(fault, binary);
    }
  }

  private void runOnce(Fault fault, boolean binary) throws Exception {
    AblyTestServer server = server(AblyTestServer.builder().historyLimit(1_000_000).maxIdleInterval(Duration.ofSeconds(1)));
    RealtimeClient publisher = client(soakOptions(server, binary).name("pub").build());
    RealtimeClient subscriber = client(soakOptions(server, !binary).name("sub").build());
    ConcurrentLinkedQueue<String> irregular = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> interruptions = new ConcurrentLinkedQueue<>();
    BitSet[] seen = new BitSet[CHANNELS];
    int[] last = new int[CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
      int chan = c;
      seen[c] = new BitSet();
      last[c] = -1;
      Channel in = subscriber.channels().get("iso-" + c);
      in.onContinuityLoss(change -> interruptions.add("continuity loss on " + chan + ": " + change));
      in.onStateChange(change -> {
        if (change.current() != ChannelState.ATTACHED && change.current() != ChannelState.ATTACHING
            || change.reason() != null && change.current() == ChannelState.ATTACHING) {
          interruptions.add("state on " + chan + ": " + change);
        }
      });
      in.subscribe(m -> {
        int seq = Integer.parseInt(((MessageData.Text) m.data()).value());
        synchronized (seen[chan]) {
          if (seen[chan].get(seq)) {
            irregular.add("duplicate " + seq + " on " + chan);
          } else if (seq < last[chan]) {
            irregular.add(seq + " after " + last[chan] + " on " + chan);
          }
          seen[chan].set(seq);
          last[chan] = Math.max(last[chan], seq);
        }
      });
      await(in.whenState(ChannelState.ATTACHED));
    }
    await(publisher.connection().whenState(ConnectionState.CONNECTED));

    BitSet[] acked = new BitSet[CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
      acked[c] = new BitSet();
    }
    AtomicInteger refused = new AtomicInteger();
    List<CompletableFuture<?>> stages = new ArrayList<>();
    int[] nextSeq = new int[CHANNELS];
    long faultEveryNanos = TimeUnit.MILLISECONDS.toNanos(400);
    long nextFault = System.nanoTime() + faultEveryNanos;
    int injected = 0;
    int i = 0;
    while (injected < FAULTS) {
      int chan = i++ % CHANNELS;
      int seq = nextSeq[chan]++;
      stages.add(publisher.channels().get("iso-" + chan).publish("m", Integer.toString(seq)).toCompletableFuture()
          .whenComplete((ok, e) -> {
            if (e == null) {
              synchronized (acked[chan]) {
                acked[chan].set(seq);
              }
            } else {
              refused.incrementAndGet();
            }
          }));
      if (System.nanoTime() >= nextFault) {
        fault.inject.accept(server.faults());
        injected++;
        nextFault = System.nanoTime() + faultEveryNanos;
      }
      // the publishing rate: a bounded wait on the oldest stage still open
      if (stages.size() > 100) {
        try {
          stages.get(stages.size() - 100).get(2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
          // still pending or refused: accounted for below
        }
      }
    }
    CompletableFuture.allOf(stages.stream().map(s -> s.handle((ok, e) -> null)).toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);
    // the end of every stream: a final message per channel, after everything else
    for (int c = 0; c < CHANNELS; c++) {
      await(publisher.channels().get("iso-" + c).publish("m", Integer.toString(nextSeq[c])));
    }
    for (int c = 0; c < CHANNELS; c++) {
      int chan = c;
      int end = nextSeq[c];
      assertTrue(Eventually.eventually(() -> seenHas(seen[chan], end), Duration.ofSeconds(20)),
          "final message on " + c + " not received");
    }
    List<String> lost = new ArrayList<>();
    for (int c = 0; c < CHANNELS; c++) {
      BitSet missing;
      synchronized (acked[c]) {
        missing = (BitSet) acked[c].clone();
      }
      synchronized (seen[c]) {
        missing.andNot(seen[c]);
      }
      if (!missing.isEmpty()) {
        lost.add("channel " + c + ": " + missing.cardinality() + " lost, " + missing);
      }
    }
    String context = fault + (binary ? " (binary publisher)" : " (JSON publisher)") + ", published "
        + stages.size() + ", refused " + refused + ", subscriber resumes " + subscriber.metrics().resumes()
        + ", publisher resumes " + publisher.metrics().resumes() + ", interruptions " + interruptions;
    assertEquals(List.of(), lost, "acknowledged messages lost: " + context);
    assertEquals(List.of(), List.copyOf(irregular), "duplicates or reorderings: " + context);
    assertEquals(List.of(), List.copyOf(interruptions), "no interruption expected: " + context);
  }

  private static boolean seenHas(BitSet seen, int seq) {
    synchronized (seen) {
      return seen.get(seq);
    }
  }

  private static io.ably.api.ClientOptions.Builder soakOptions(AblyTestServer server, boolean binary) {
    return options(server).useBinaryProtocol(binary)
        .disconnectedRetryTimeout(Duration.ofMillis(500)).suspendedRetryTimeout(Duration.ofSeconds(1))
        .channelRetryTimeout(Duration.ofMillis(500)).realtimeRequestTimeout(Duration.ofSeconds(2));
  }
}
