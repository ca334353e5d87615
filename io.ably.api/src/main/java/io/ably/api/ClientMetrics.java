package io.ably.api;

import io.ably.api.state.ConnectionState;
import io.ably.api.rest.RestMetrics;
import java.time.Duration;
import java.util.Objects;

/**
 * A point-in-time view of one client's connection and counters, read without blocking the
 * client's event loop. Counters only grow, from the client's creation. Immutable.
 *
 * @param name the client's name
 * @param state the connection state
 * @param connectionId the connection id, or {@code null}
 * @param lastPingRtt the latest ping round trip, or {@code null} before the first
 * @param pingRttP50 the median of the last 64 ping round trips, or {@code null}
 * @param pingRttP99 the 99th percentile of the last 64 ping round trips, or {@code null}
 * @param pings pings answered
 * @param framesSent WebSocket frames sent
 * @param framesReceived WebSocket frames received
 * @param bytesSent payload bytes sent
 * @param bytesReceived payload bytes received
 * @param reconnects transports opened after the first
 * @param resumes reconnections that kept the connection id (RTN15c6)
 * @param failedResumes reconnections that got a new connection id (RTN15c7)
 * @param listenerErrors listener and stage callbacks that threw
 * @param messagesPublished messages handed to the transport (each message of a batch counts, and
 *     each presence message entering, updating or leaving)
 * @param messagesAcknowledged published messages the service acknowledged
 * @param messagesRefused published messages refused: NACKed, or failed before or after sending
 * @param messagesReceived messages received and delivered to subscribers
 * @param messagesPending messages waiting for an acknowledgement or for the connection now
 * @param channels channels the client has now
 * @param rest the client's REST counters: requests, failures, fallbacks, latency (since 0.2)
 * @param storeWrites finished writes of the {@link ClientOptions#subscriptionStore()} (since 0.3)
 * @param storeLastWrite when the store was last written, or {@code null} if never (since 0.3)
 * @param storeFailures how often the store could not be used: a stored state that could not be
 *     read at start (corrupt, truncated, another format version: it was ignored, and the log names
 *     the file and the cause) and writes that failed (since 0.4)
 * @since 0.1
 */
public record ClientMetrics(
    String name,
    ConnectionState state,
    String connectionId,
    Duration lastPingRtt,
    Duration pingRttP50,
    Duration pingRttP99,
    long pings,
    long framesSent,
    long framesReceived,
    long bytesSent,
    long bytesReceived,
    long reconnects,
    long resumes,
    long failedResumes,
    long listenerErrors,
    long messagesPublished,
    long messagesAcknowledged,
    long messagesRefused,
    long messagesReceived,
    long messagesPending,
    int channels,
    RestMetrics rest,
    long storeWrites,
    java.time.Instant storeLastWrite,
    long storeFailures) {

  /** Requires the REST counters. */
  public ClientMetrics {
    Objects.requireNonNull(rest, "rest");
  }

  /**
   * Creates a snapshot without REST counters (they read as zero), as before 0.2.
   *
   * @param name the client's name
   * @param state the connection state
   * @param connectionId the connection id, or {@code null}
   * @param lastPingRtt the latest ping round trip, or {@code null}
   * @param pingRttP50 the median ping round trip, or {@code null}
   * @param pingRttP99 the 99th percentile ping round trip, or {@code null}
   * @param pings pings answered
   * @param framesSent frames sent
   * @param framesReceived frames received
   * @param bytesSent bytes sent
   * @param bytesReceived bytes received
   * @param reconnects reconnects
   * @param resumes resumes
   * @param failedResumes failed resumes
   * @param listenerErrors listener errors
   * @param messagesPublished messages published
   * @param messagesAcknowledged messages acknowledged
   * @param messagesRefused messages refused
   * @param messagesReceived messages received
   * @param messagesPending messages pending
   * @param channels channels
   */
  public ClientMetrics(
      String name, ConnectionState state, String connectionId, Duration lastPingRtt,
      Duration pingRttP50, Duration pingRttP99, long pings, long framesSent, long framesReceived,
      long bytesSent, long bytesReceived, long reconnects, long resumes, long failedResumes,
      long listenerErrors, long messagesPublished, long messagesAcknowledged, long messagesRefused,
      long messagesReceived, long messagesPending, int channels) {
    this(
        name, state, connectionId, lastPingRtt, pingRttP50, pingRttP99, pings, framesSent,
        framesReceived, bytesSent, bytesReceived, reconnects, resumes, failedResumes, listenerErrors,
        messagesPublished, messagesAcknowledged, messagesRefused, messagesReceived, messagesPending,
        channels, RestMetrics.NONE);
  }

  /**
   * Creates a snapshot of a client without a subscription store, as before 0.3.
   *
   * @param name the client's name
   * @param state the connection state
   * @param connectionId the connection id, or {@code null}
   * @param lastPingRtt the latest ping round trip, or {@code null}
   * @param pingRttP50 the median ping round trip, or {@code null}
   * @param pingRttP99 the 99th percentile ping round trip, or {@code null}
   * @param pings pings answered
   * @param framesSent frames sent
   * @param framesReceived frames received
   * @param bytesSent bytes sent
   * @param bytesReceived bytes received
   * @param reconnects reconnects
   * @param resumes resumes
   * @param failedResumes failed resumes
   * @param listenerErrors listener errors
   * @param messagesPublished messages published
   * @param messagesAcknowledged messages acknowledged
   * @param messagesRefused messages refused
   * @param messagesReceived messages received
   * @param messagesPending messages pending
   * @param channels channels
   * @param rest the REST counters
   */
  public ClientMetrics(
      String name, ConnectionState state, String connectionId, Duration lastPingRtt,
      Duration pingRttP50, Duration pingRttP99, long pings, long framesSent, long framesReceived,
      long bytesSent, long bytesReceived, long reconnects, long resumes, long failedResumes,
      long listenerErrors, long messagesPublished, long messagesAcknowledged, long messagesRefused,
      long messagesReceived, long messagesPending, int channels, RestMetrics rest) {
    this(
        name, state, connectionId, lastPingRtt, pingRttP50, pingRttP99, pings, framesSent,
        framesReceived, bytesSent, bytesReceived, reconnects, resumes, failedResumes, listenerErrors,
        messagesPublished, messagesAcknowledged, messagesRefused, messagesReceived, messagesPending,
        channels, rest, 0, null, 0);
  }

  /**
   * Creates a snapshot without the store's failures (they read as zero), as before 0.4.
   *
   * @param name the client's name
   * @param state the connection state
   * @param connectionId the connection id, or {@code null}
   * @param lastPingRtt the latest ping round trip, or {@code null}
   * @param pingRttP50 the median ping round trip, or {@code null}
   * @param pingRttP99 the 99th percentile ping round trip, or {@code null}
   * @param pings pings answered
   * @param framesSent frames sent
   * @param framesReceived frames received
   * @param bytesSent bytes sent
   * @param bytesReceived bytes received
   * @param reconnects reconnects
   * @param resumes resumes
   * @param failedResumes failed resumes
   * @param listenerErrors listener errors
   * @param messagesPublished messages published
   * @param messagesAcknowledged messages acknowledged
   * @param messagesRefused messages refused
   * @param messagesReceived messages received
   * @param messagesPending messages pending
   * @param channels channels
   * @param rest the REST counters
   * @param storeWrites finished writes of the subscription store
   * @param storeLastWrite when the store was last written, or {@code null}
   */
  public ClientMetrics(
      String name, ConnectionState state, String connectionId, Duration lastPingRtt,
      Duration pingRttP50, Duration pingRttP99, long pings, long framesSent, long framesReceived,
      long bytesSent, long bytesReceived, long reconnects, long resumes, long failedResumes,
      long listenerErrors, long messagesPublished, long messagesAcknowledged, long messagesRefused,
      long messagesReceived, long messagesPending, int channels, RestMetrics rest, long storeWrites,
      java.time.Instant storeLastWrite) {
    this(
        name, state, connectionId, lastPingRtt, pingRttP50, pingRttP99, pings, framesSent,
        framesReceived, bytesSent, bytesReceived, reconnects, resumes, failedResumes, listenerErrors,
        messagesPublished, messagesAcknowledged, messagesRefused, messagesReceived, messagesPending,
        channels, rest, storeWrites, storeLastWrite, 0);
  }
}
