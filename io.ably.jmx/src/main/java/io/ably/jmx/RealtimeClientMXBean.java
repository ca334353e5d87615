package io.ably.jmx;

/**
 * A client as JMX shows it ({@code io.ably:type=RealtimeClient,name=<client>}): a point-in-time
 * view of its connection and counters, and operations that return at once. Secrets (key, token)
 * are never exposed. State changes are sent as {@link
 * javax.management.AttributeChangeNotification}s of the attribute {@code State}.
 *
 * @since 0.1
 */
public interface RealtimeClientMXBean {
  /**
   * Returns the client's name.
   *
   * @return the name
   */
  String getName();

  /**
   * Returns the connection state.
   *
   * @return a {@link io.ably.api.state.ConnectionState} name
   */
  String getState();

  /**
   * Returns the connection id.
   *
   * @return the id, or {@code null}
   */
  String getConnectionId();

  /**
   * Returns the latest error reason.
   *
   * @return {@code "[code/status] message"}, or {@code null}
   */
  String getErrorReason();

  /**
   * Returns the latest ping round trip.
   *
   * @return milliseconds, or -1 before the first ping
   */
  double getLastPingRttMillis();

  /**
   * Returns the median of recent ping round trips.
   *
   * @return milliseconds, or -1 before the first ping
   */
  double getPingRttP50Millis();

  /**
   * Returns the 99th percentile of recent ping round trips.
   *
   * @return milliseconds, or -1 before the first ping
   */
  double getPingRttP99Millis();

  /**
   * Returns the number of answered pings.
   *
   * @return the count
   */
  long getPings();

  /**
   * Returns the frames sent.
   *
   * @return the count
   */
  long getFramesSent();

  /**
   * Returns the frames received.
   *
   * @return the count
   */
  long getFramesReceived();

  /**
   * Returns the payload bytes sent.
   *
   * @return the count
   */
  long getBytesSent();

  /**
   * Returns the payload bytes received.
   *
   * @return the count
   */
  long getBytesReceived();

  /**
   * Returns the transports opened after the first.
   *
   * @return the count
   */
  long getReconnects();

  /**
   * Returns the resumes that kept the connection id.
   *
   * @return the count
   */
  long getResumes();

  /**
   * Returns the resumes that got a new connection id.
   *
   * @return the count
   */
  long getFailedResumes();

  /**
   * Returns the callbacks that threw.
   *
   * @return the count
   */
  long getListenerErrors();

  /**
   * Returns the messages handed to the transport, on all channels.
   *
   * @return the count
   */
  long getMessagesPublished();

  /**
   * Returns the published messages the service acknowledged.
   *
   * @return the count
   */
  long getMessagesAcknowledged();

  /**
   * Returns the published messages that were refused or failed.
   *
   * @return the count
   */
  long getMessagesRefused();

  /**
   * Returns the messages received and delivered to subscribers, on all channels.
   *
   * @return the count
   */
  long getMessagesReceived();

  /**
   * Returns the messages waiting for an acknowledgement or for the connection now.
   *
   * @return the count
   */
  long getMessagesPending();

  /**
   * Returns the number of channels the client has now.
   *
   * @return the count
   */
  int getChannels();

  /**
   * Returns the finished writes of the client's subscription store.
   *
   * @return the count, 0 without a store
   * @since 0.3
   */
  long getStoreWrites();

  /**
   * Returns when the subscription store was last written, in epoch milliseconds.
   *
   * @return the time, or -1 if never (or without a store)
   * @since 0.3
   */
  long getStoreLastWriteMillis();

  /**
   * Returns how often the client's subscription store could not be used: a stored state that
   * could not be read at start (corrupt, truncated, another format version; it was ignored) and
   * writes that failed.
   *
   * @return the count, 0 without a store
   * @since 0.4
   */
  long getStoreFailures();

  /**
   * Returns the number of REST requests answered (fallback attempts included).
   *
   * @return the count
   * @since 0.2
   */
  long getRestRequests();

  /**
   * Returns the number of REST operations that failed.
   *
   * @return the count
   * @since 0.2
   */
  long getRestFailures();

  /**
   * Returns the number of REST attempts made on a fallback host.
   *
   * @return the count
   * @since 0.2
   */
  long getRestFallbacks();

  /**
   * Returns the median latency of the last 64 REST operations.
   *
   * @return milliseconds, or -1 before the first
   * @since 0.2
   */
  double getRestLatencyP50Millis();

  /**
   * Returns the 99th percentile latency of the last 64 REST operations.
   *
   * @return milliseconds, or -1 before the first
   * @since 0.2
   */
  double getRestLatencyP99Millis();

  /**
   * Returns the clientId the client is identified as: the one its connection or token confirmed,
   * else its option (RSA7, RSA12).
   *
   * @return the clientId, {@code *} for a wildcard token, or {@code null} for an anonymous client
   * @since 0.3
   */
  String getClientId();

  /**
   * Returns when the token the client uses expires (never the token itself).
   *
   * @return an ISO-8601 instant, or {@code null} with basic auth, before the first token, or when
   *     the token's expiry is unknown
   * @since 0.3
   */
  String getTokenExpires();

  /** Starts connecting; returns at once. */
  void connect();

  /** Starts closing; returns at once. */
  void close();

  /** Sends a ping; returns at once (the result shows in the ping attributes). */
  void ping();
}
