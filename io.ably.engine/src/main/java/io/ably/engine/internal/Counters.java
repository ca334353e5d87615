package io.ably.engine.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's second cross-thread boundary: a client's counters. The event loop is the single
 * writer of every field but {@link #listenerError()}, which callback threads count (hence a
 * {@link LongAdder}); readers on any thread see each field's latest value without blocking. Values
 * are read one by one, so a snapshot is consistent per field, not across fields.
 */
// Every volatile field has one writer, the event loop, so read-modify-write needs no atomicity.
@SuppressWarnings("NonAtomicVolatileUpdate")
public final class Counters {
  /** Ping round trips kept for percentiles. */
  static final int PING_WINDOW = 64;

  private volatile long framesSent;
  private volatile long framesReceived;
  private volatile long bytesSent;
  private volatile long bytesReceived;
  private volatile long transportsOpened;
  private volatile long resumes;
  private volatile long failedResumes;
  private volatile long pings;
  /** The last PING_WINDOW round trips in nanos; replaced whole on each ping (copy on write). */
  private volatile long[] recentPingNanos = new long[0];
  private volatile long messagesPublished;
  private volatile long messagesAcknowledged;
  private volatile long messagesRefused;
  private volatile long messagesReceived;
  private volatile long messagesPending;
  private volatile int channels;
  private final LongAdder listenerErrors = new LongAdder();

  /**
   * Counts a frame sent. Event loop only.
   *
   * @param bytes its payload size
   */
  public void frameSent(int bytes) {
    framesSent = framesSent + 1;
    bytesSent = bytesSent + bytes;
  }

  /**
   * Counts a frame received. Event loop only.
   *
   * @param bytes its payload size
   */
  public void frameReceived(int bytes) {
    framesReceived = framesReceived + 1;
    bytesReceived = bytesReceived + bytes;
  }

  /** Counts a transport opened. Event loop only. */
  public void transportOpened() {
    transportsOpened = transportsOpened + 1;
  }

  /** Counts a resume that kept the connection id. Event loop only. */
  public void resumed() {
    resumes = resumes + 1;
  }

  /** Counts a resume that got a new connection id. Event loop only. */
  public void resumeFailed() {
    failedResumes = failedResumes + 1;
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
    pings = pings + 1;
  }

  /**
   * Counts messages handed to the transport.
   *
   * @param n how many
   */
  public void published(int n) {
    messagesPublished = messagesPublished + n;
  }

  /**
   * Counts published messages the service acknowledged.
   *
   * @param n how many
   */
  public void acknowledged(int n) {
    messagesAcknowledged = messagesAcknowledged + n;
  }

  /**
   * Counts published messages that failed.
   *
   * @param n how many
   */
  public void refused(int n) {
    messagesRefused = messagesRefused + n;
  }

  /**
   * Counts messages delivered to subscribers.
   *
   * @param n how many
   */
  public void received(int n) {
    messagesReceived = messagesReceived + n;
  }

  /**
   * Sets the number of messages waiting for an acknowledgement or for the connection.
   *
   * @param n how many now
   */
  public void pending(long n) {
    messagesPending = n;
  }

  /**
   * Sets the number of channels the client has.
   *
   * @param n how many now
   */
  public void channels(int n) {
    channels = n;
  }

  /**
   * Returns the number of channels the client has.
   *
   * @return the count
   */
  public int channels() {
    return channels;
  }

  /**
   * Returns messages handed to the transport.
   *
   * @return the count
   */
  public long messagesPublished() {
    return messagesPublished;
  }

  /**
   * Returns published messages acknowledged.
   *
   * @return the count
   */
  public long messagesAcknowledged() {
    return messagesAcknowledged;
  }

  /**
   * Returns published messages refused.
   *
   * @return the count
   */
  public long messagesRefused() {
    return messagesRefused;
  }

  /**
   * Returns messages delivered to subscribers.
   *
   * @return the count
   */
  public long messagesReceived() {
    return messagesReceived;
  }

  /**
   * Returns messages pending now.
   *
   * @return the count
   */
  public long messagesPending() {
    return messagesPending;
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
    return framesSent;
  }

  /**
   * Frames received. Any thread.
   *
   * @return the count
   */
  public long framesReceived() {
    return framesReceived;
  }

  /**
   * Payload bytes sent. Any thread.
   *
   * @return the count
   */
  public long bytesSent() {
    return bytesSent;
  }

  /**
   * Payload bytes received. Any thread.
   *
   * @return the count
   */
  public long bytesReceived() {
    return bytesReceived;
  }

  /**
   * Transports opened after the first. Any thread.
   *
   * @return the count
   */
  public long reconnects() {
    return Math.max(0, transportsOpened - 1);
  }

  /**
   * Resumes that kept the connection id. Any thread.
   *
   * @return the count
   */
  public long resumes() {
    return resumes;
  }

  /**
   * Resumes that got a new connection id. Any thread.
   *
   * @return the count
   */
  public long failedResumes() {
    return failedResumes;
  }

  /**
   * Answered pings. Any thread.
   *
   * @return the count
   */
  public long pings() {
    return pings;
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
}
