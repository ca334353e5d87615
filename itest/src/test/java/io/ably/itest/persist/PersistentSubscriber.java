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
 * The subscriber process of {@link PersistentSubscriptionIT}: a client with a file-backed
 * subscription store and one persistent BACKFILL channel, appending the number of each message it
 * receives to a file, one write per message, so that what it received survives a SIGKILL.
 *
 * <p>A restart may redeliver the messages delivered after the store's last write (at most {@code
 * storeWriteDelay} of them): as an idempotent consumer it skips, before its first write, the numbers
 * its file already holds, and reports how many it skipped. A number out of order, or a duplicate
 * after its first write of the run, is reported as a PROBLEM line. Lines on standard output:
 * {@code ATTACHED <connectionId> <resumed>}, {@code PROGRESS <n>} every 10,000, {@code HOLE ...}, {@code PROBLEM ...}, {@code DONE ...}.
 *
 * <p>Arguments: port, key, store directory, output file, client name, channel, total.
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

    long[] next = {lastWritten(out) + 1};
    long[] skipped = {0};
    boolean[] wrote = {false};
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
                .subscriptionStore(SubscriptionStore.inDirectory(storeDir))
                .storeWriteDelay(Duration.ofMillis(50))
                .build());
    Channel ch =
        client.channels().get(
            channelName,
            ChannelOptions.builder().persistent(true).continuity(ContinuityPolicy.BACKFILL).build());
    ch.onContinuityLoss(c -> System.out.println("HOLE " + c.gap() + " " + c.reason()));
    ch.onStateChange(
        c -> {
          if (c.current() == ChannelState.ATTACHED && c.previous() != ChannelState.ATTACHED) {
            System.out.println("ATTACHED " + client.connection().id() + " " + c.resumed());
          }
        });
    ch.subscribe(
        m -> {
          long n = Long.parseLong(((MessageData.Text) m.data()).value());
          if (n < next[0]) {
            if (wrote[0]) {
              System.out.println("PROBLEM duplicate " + n + " after this run's first write");
            }
            skipped[0]++;
            return;
          }
          if (n != next[0]) {
            System.out.println("PROBLEM expected " + next[0] + " got " + n);
          }
          try {
            os.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
          } catch (IOException e) {
            System.out.println("PROBLEM cannot write: " + e);
          }
          wrote[0] = true;
          next[0] = n + 1;
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
        "DONE skipped=" + skipped[0]
            + " backfills=" + ch.metrics().backfills()
            + " backfilled=" + ch.metrics().messagesBackfilled()
            + " holes=" + ch.metrics().holesReported()
            + " storeWrites=" + client.metrics().storeWrites());
    os.close();
    client.close();
  }

  /** The last number the file holds, or -1; a torn last line (there should be none) is cut off. */
  static long lastWritten(Path out) throws IOException {
    if (!Files.exists(out)) {
      return -1;
    }
    String text = Files.readString(out, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return -1;
    }
    if (end != text.length() - 1) {
      Files.writeString(out, text.substring(0, end + 1), StandardCharsets.US_ASCII);
    }
    int start = text.lastIndexOf('\n', end - 1) + 1;
    return Long.parseLong(text.substring(start, end));
  }
}
