package io.ably.engine.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * One of the engine's declared cross-thread boundaries: a client's counters. The event loop is the
 * single writer of every counter but {@link #listenerError()}, which callback threads count (hence
 * a {@link LongAdder}); readers on any thread see each counter's latest value without blocking.
 * The counters are {@link CounterSlots}: release stores, acquire loads, no full fence on the loop
 * per message. Values are read one by one, so a
 * snapshot is consistent per counter, not across counters.
 */
public final class Counters {
  /** Ping round trips kept for percentiles. */
  static final int PING_WINDOW = 64;

  private static final int FRAMES_SENT = 0;
  private static final int FRAMES_RECEIVED = 1;
  private static final int BYTES_SENT = 2;
  private static final int BYTES_RECEIVED = 3;
  private static final int TRANSPORTS_OPENED = 4;
  private static final int RESUMES = 5;
  private static final int FAILED_RESUMES = 6;
  private static final int PINGS = 7;
  private static final int MESSAGES_PUBLISHED = 8;
  private static final int MESSAGES_ACKNOWLEDGED = 9;
  private static final int MESSAGES_REFUSED = 10;
  private static final int MESSAGES_RECEIVED = 11;
  private static final int MESSAGES_PENDING = 12;
  private static final int CHANNELS = 13;
  private static final int STORE_WRITES = 14;
  private static final int STORE_LAST_WRITE_MILLIS = 15;
  private static final int STORE_FAILURES = 16;

  /** The counters, by the slot constants above; written by the loop only. */
  private final CounterSlots slots = new CounterSlots(17);
  /** The last PING_WINDOW round trips in nanos; replaced whole on each ping (copy on write). */
  private volatile long[] recentPingNanos = new long[0];
  private final LongAdder listenerErrors = new LongAdder();

  private void add(int slot, long n) {
    slots.add(slot, n);
  }

  private void set(int slot, long value) {
    slots.set(slot, value);
  }

  private long get(int slot) {
    return slots.get(slot);
  }

  /**
   * Counts a frame sent. Event loop only.
   *
   * @param bytes its payload size
   */
  public void frameSent(int bytes) {
    add(FRAMES_SENT, 1);
    add(BYTES_SENT, bytes);
  }

  /**
   * Counts a frame received. Event loop only.
   *
   * @param bytes its payload size
   */
  public void frameReceived(int bytes) {
    add(FRAMES_RECEIVED, 1);
    add(BYTES_RECEIVED, bytes);
  }

  /** Counts a transport opened. Event loop only. */
  public void transportOpened() {
    add(TRANSPORTS_OPENED, 1);
  }

  /** Counts a resume that kept the connection id. Event loop only. */
  public void resumed() {
    add(RESUMES, 1);
  }

  /** Counts a resume that got a new connection id. Event loop only. */
  public void resumeFailed() {
    add(FAILED_RESUMES, 1);
  }

  /**
   * Counts an answered ping. Event loop only.
   *
   * @param rtt its round trip
   */
  public void ping(Duration rtt) {
    long[] old = recentPingNanos;
    long[] next =
        old.length < PING_WINDOW
            ? Arrays.copyOf(old, old.length + 1)
            : Arrays.copyOfRange(old, 1, PING_WINDOW + 1);
    next[next.length - 1] = rtt.toNanos();
    recentPingNanos = next;
    add(PINGS, 1);
  }

  /**
   * Counts messages handed to the transport.
   *
   * @param n how many
   */
  public void published(int n) {
    add(MESSAGES_PUBLISHED, n);
  }

  /**
   * Counts published messages the service acknowledged.
   *
   * @param n how many
   */
  public void acknowledged(int n) {
    add(MESSAGES_ACKNOWLEDGED, n);
  }

  /**
   * Counts published messages that failed.
   *
   * @param n how many
   */
  public void refused(int n) {
    add(MESSAGES_REFUSED, n);
  }

  /**
   * Counts messages delivered to subscribers.
   *
   * @param n how many
   */
  public void received(int n) {
    add(MESSAGES_RECEIVED, n);
  }

  /**
   * Sets the number of messages waiting for an acknowledgement or for the connection.
   *
   * @param n how many now
   */
  public void pending(long n) {
    set(MESSAGES_PENDING, n);
  }

  /**
   * Sets the number of channels the client has.
   *
   * @param n how many now
   */
  public void channels(int n) {
    set(CHANNELS, n);
  }

  /**
   * Returns the number of channels the client has.
   *
   * @return the count
   */
  public int channels() {
    return (int) get(CHANNELS);
  }

  /**
   * Returns messages handed to the transport.
   *
   * @return the count
   */
  public long messagesPublished() {
    return get(MESSAGES_PUBLISHED);
  }

  /**
   * Returns published messages acknowledged.
   *
   * @return the count
   */
  public long messagesAcknowledged() {
    return get(MESSAGES_ACKNOWLEDGED);
  }

  /**
   * Returns published messages refused.
   *
   * @return the count
   */
  public long messagesRefused() {
    return get(MESSAGES_REFUSED);
  }

  /**
   * Returns messages delivered to subscribers.
   *
   * @return the count
   */
  public long messagesReceived() {
    return get(MESSAGES_RECEIVED);
  }

  /**
   * Returns messages pending now.
   *
   * @return the count
   */
  public long messagesPending() {
    return get(MESSAGES_PENDING);
  }

  /** Counts a callback that threw. Any thread. */
  public void listenerError() {
    listenerErrors.increment();
  }

  /**
   * Frames sent. Any thread.
   *
   * @return the count
   */
  public long framesSent() {
    return get(FRAMES_SENT);
  }

  /**
   * Frames received. Any thread.
   *
   * @return the count
   */
  public long framesReceived() {
    return get(FRAMES_RECEIVED);
  }

  /**
   * Payload bytes sent. Any thread.
   *
   * @return the count
   */
  public long bytesSent() {
    return get(BYTES_SENT);
  }

  /**
   * Payload bytes received. Any thread.
   *
   * @return the count
   */
  public long bytesReceived() {
    return get(BYTES_RECEIVED);
  }

  /**
   * Transports opened after the first. Any thread.
   *
   * @return the count
   */
  public long reconnects() {
    return Math.max(0, get(TRANSPORTS_OPENED) - 1);
  }

  /**
   * Resumes that kept the connection id. Any thread.
   *
   * @return the count
   */
  public long resumes() {
    return get(RESUMES);
  }

  /**
   * Resumes that got a new connection id. Any thread.
   *
   * @return the count
   */
  public long failedResumes() {
    return get(FAILED_RESUMES);
  }

  /**
   * Answered pings. Any thread.
   *
   * @return the count
   */
  public long pings() {
    return get(PINGS);
  }

  /**
   * Callbacks that threw. Any thread.
   *
   * @return the count
   */
  public long listenerErrors() {
    return listenerErrors.sum();
  }

  /**
   * Returns the latest ping round trip.
   *
   * @return the round trip, or {@code null} before the first ping
   */
  public Duration lastPing() {
    long[] r = recentPingNanos;
    return r.length == 0 ? null : Duration.ofNanos(r[r.length - 1]);
  }

  /**
   * Returns a percentile of the recent ping round trips (nearest rank).
   *
   * @param percentile from 0 to 100
   * @return the round trip, or {@code null} before the first ping
   */
  public Duration pingPercentile(double percentile) {
    long[] r = recentPingNanos.clone();
    if (r.length == 0) {
      return null;
    }
    Arrays.sort(r);
    int rank = (int) Math.ceil(percentile / 100.0 * r.length);
    return Duration.ofNanos(r[Math.min(r.length - 1, Math.max(0, rank - 1))]);
  }

  /**
   * Records a finished write of the subscription store. Event loop only.
   *
   * @param epochMillis when it finished, by the wall clock
   */
  public void storeWritten(long epochMillis) {
    slots.add(STORE_WRITES, 1);
    slots.set(STORE_LAST_WRITE_MILLIS, epochMillis);
  }

  /**
   * Returns finished writes of the subscription store.
   *
   * @return the count
   */
  public long storeWrites() {
    return slots.get(STORE_WRITES);
  }

  /**
   * Returns when the subscription store was last written, in epoch milliseconds.
   *
   * @return the time, or 0 if never
   */
  public long storeLastWriteMillis() {
    return slots.get(STORE_LAST_WRITE_MILLIS);
  }

  /** Records a subscription store that could not be read, or a write of it that failed. Event loop only. */
  public void storeFailed() {
    slots.add(STORE_FAILURES, 1);
  }

  /**
   * Returns the reads and writes of the subscription store that failed.
   *
   * @return the count
   */
  public long storeFailures() {
    return slots.get(STORE_FAILURES);
  }
}
