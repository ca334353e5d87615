package io.ably.api;

import io.ably.api.state.ConnectionState;
import java.time.Duration;

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
 * @param messagesPublished messages handed to the transport (each message of a batch counts)
 * @param messagesAcknowledged published messages the service acknowledged
 * @param messagesRefused published messages refused: NACKed, or failed before or after sending
 * @param messagesReceived messages received and delivered to subscribers
 * @param messagesPending messages waiting for an acknowledgement or for the connection now
 * @param channels channels the client has now
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
    int channels) {}
