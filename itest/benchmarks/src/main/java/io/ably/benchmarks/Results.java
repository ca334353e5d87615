package io.ably.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Everything one harness run measured, section by section, in the order measured. Latencies are in
 * nanoseconds in the histograms; the report converts them. A row whose measurement failed or stopped
 * early carries a note that says so, instead of a figure.
 */
final class Results {

  /**
   * Publish-to-receive latency at a fixed offered rate, from each message's intended send time.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param rate offered messages per second
   * @param payloadBytes the payload size
   * @param histogram latencies of the measured messages (after warm-up), ns
   * @param expected messages expected in the measured part
   * @param lost measured messages that never arrived
   * @param note why the run stopped early, or empty
   */
  record Latency(
      String subject,
      String title,
      int rate,
      int payloadBytes,
      Histogram histogram,
      long expected,
      long lost,
      String note) {}

  /**
   * Publishing throughput and fan-out.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param ackedPerSecond acknowledged publishes per second from one connection
   * @param subscribers subscribers in the fan-out case
   * @param fanOutDeliveriesPerSecond messages delivered per second, summed over the subscribers
   * @param note what failed, or empty
   */
  record Throughput(
      String subject,
      String title,
      double ackedPerSecond,
      int subscribers,
      double fanOutDeliveriesPerSecond,
      String note) {}

  /**
   * Ping round trips.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param histogram round-trip times, ns
   * @param note what failed, or empty
   */
  record Ping(String subject, String title, Histogram histogram, String note) {}

  /**
   * Cost in steady state.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param bytesPerSent bytes allocated per message published (and acknowledged)
   * @param bytesPerReceived bytes allocated per message received and delivered
   * @param threadsStarted threads started while the two clients (publisher and subscriber) connected
   * @param heapBytes heap used after a collection with the two clients up, less before
   * @param note what failed, or empty
   */
  record Cost(
      String subject,
      String title,
      double bytesPerSent,
      double bytesPerReceived,
      long threadsStarted,
      long heapBytes,
      String note) {}

  /**
   * Many concurrent connections, each attached to a channel.
   *
   * @param subject the subject key
   * @param title the subject's title
   * @param connections connections asked for
   * @param attached connections connected and attached
   * @param millisToAllAttached from the first connect to the last attach, ms
   * @param threads the subject's threads with them up (by name; for ably-java, live threads added)
   * @param heapBytes heap used after a collection with them up, less before
   * @param note why it stopped short, or empty
   */
  record Scale(
      String subject,
      String title,
      int connections,
      int attached,
      long millisToAllAttached,
      int threads,
      long heapBytes,
      String note) {}

  final List<Latency> latency = new ArrayList<>();
  final List<Throughput> throughput = new ArrayList<>();
  final List<Ping> ping = new ArrayList<>();
  final List<Cost> cost = new ArrayList<>();
  final List<Scale> scale = new ArrayList<>();
}
