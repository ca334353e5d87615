package io.ably.itest.persist;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.ClientOptions;
import io.ably.api.ContinuityPolicy;
import io.ably.api.RealtimeClient;
import io.ably.api.message.MessageData;
import io.ably.api.spi.SubscriptionStore;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The subscriber process of {@link PersistentSubscriptionIT}: an application that owns its position.
 * It appends each message it receives to its output file, one line and one write per message
 * ({@code <number> <id> <serial>}), so that what it processed survives a SIGKILL, and on start
 * passes the last line's id and serial to {@link ChannelOptions.Builder#resumeAfter}: the library
 * must deliver exactly the messages after it. The client has a file-backed subscription store for
 * its recovery key (RTN16) only, and the channel the BACKFILL policy.
 *
 * <p>It skips nothing: every delivery is counted and written, and a number other than the next
 * expected one (a duplicate, a gap, a reordering) is reported as a PROBLEM line. Lines on standard
 * output: {@code ATTACHED <connectionId> <resumed>}, {@code PROGRESS <n>} every 10,000, {@code HOLE
 * ...}, {@code PROBLEM ...}, {@code DONE delivered=<count of this run's deliveries> ...}.
 *
 * <p>With an eighth argument {@code ack}, it keeps no position of its own: the channel is persistent
 * with manual acknowledgement, and each message is acknowledged once written; each acknowledgement
 * that completes (durable in the store) appends the message's number to {@code <output>.acked}. The
 * first number delivered is printed as {@code FIRST <n>}, and from it on every number must follow
 * the one before.
 *
 * <p>Arguments: port, key, store directory, output file, client name, channel, total, [ack].
 */
public final class PersistentSubscriber {
  private PersistentSubscriber() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String key = args[1];
    Path storeDir = Path.of(args[2]);
    Path out = Path.of(args[3]);
    String name = args[4];
    String channelName = args[5];
    long total = Long.parseLong(args[6]);

    boolean ack = args.length > 7 && args[7].equals("ack");
    String[] last = ack ? null : lastWritten(out);
    long[] next = {ack ? -1 : last == null ? 0 : Long.parseLong(last[0]) + 1};
    OutputStream acked = ack ? new FileOutputStream(out + ".acked", true) : null;
    long[] delivered = {0};
    CountDownLatch done = new CountDownLatch(next[0] >= total ? 0 : 1);
    OutputStream os = new FileOutputStream(out.toFile(), true);
    RealtimeClient client =
        Ably.realtime(
            ClientOptions.builder()
                .key(key)
                .host("127.0.0.1")
                .port(port)
                .tls(false)
                .name(name)
                .subscriptionStore(SubscriptionStore.inDirectory(storeDir)) // the recovery key
                .storeWriteDelay(Duration.ofMillis(50))
                .build());
    ChannelOptions.Builder options = ChannelOptions.builder().continuity(ContinuityPolicy.BACKFILL);
    if (ack) {
      options.persistent(true).manualAcknowledgement(true); // the library keeps what was acknowledged
    } else if (last != null) {
      options.resumeAfter(new SubscriptionStore.Position(last[1], last[2])); // exactly once from here
    }
    Channel ch = client.channels().get(channelName, options.build());
    ch.onContinuityLoss(c -> System.out.println("HOLE " + c.gap() + " " + c.reason()));
    ch.onStateChange(
        c -> {
          if (c.current() == ChannelState.ATTACHED && c.previous() != ChannelState.ATTACHED) {
            System.out.println("ATTACHED " + client.connection().id() + " " + c.resumed());
          }
        });
    ch.subscribe(
        m -> {
          delivered[0]++;
          long n = Long.parseLong(((MessageData.Text) m.data()).value());
          if (next[0] < 0) {
            System.out.println("FIRST " + n);
          } else if (n != next[0]) {
            System.out.println("PROBLEM expected " + next[0] + " got " + n);
          }
          try {
            os.write((n + " " + m.id() + " " + m.serial() + "\n").getBytes(StandardCharsets.US_ASCII));
          } catch (IOException e) {
            System.out.println("PROBLEM cannot write: " + e);
          }
          next[0] = n + 1;
          if (ack) {
            ch.acknowledge(m).whenComplete((v, e) -> {
              try {
                if (e != null) {
                  System.out.println("PROBLEM acknowledge " + n + ": " + e);
                } else {
                  acked.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
                }
              } catch (IOException x) {
                System.out.println("PROBLEM cannot write: " + x);
              }
            });
          }
          if (n % 10_000 == 0) {
            System.out.println("PROGRESS " + n);
          }
          if (next[0] == total) {
            done.countDown();
          }
        });
    client.connection().whenState(ConnectionState.CONNECTED).toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (!done.await(120, TimeUnit.SECONDS)) {
      System.out.println("PROBLEM only up to " + next[0] + " of " + total);
    }
    System.out.println(
        "DONE delivered=" + delivered[0]
            + " backfills=" + ch.metrics().backfills()
            + " backfilled=" + ch.metrics().messagesBackfilled()
            + " holes=" + ch.metrics().holesReported()
            + " storeWrites=" + client.metrics().storeWrites());
    client.close();
    os.close(); // the acknowledgements' file stays open: completions may come until the exit
  }

  /**
   * The last line the file holds, split in its number, id and serial, or null; a torn last line
   * (there should be none) is cut off.
   */
  static String[] lastWritten(Path out) throws IOException {
    if (!Files.exists(out)) {
      return null;
    }
    String text = Files.readString(out, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return null;
    }
    if (end != text.length() - 1) {
      Files.writeString(out, text.substring(0, end + 1), StandardCharsets.US_ASCII);
    }
    int start = text.lastIndexOf('\n', end - 1) + 1;
    return text.substring(start, end).split(" ");
  }
}
