package io.ably.jmx;

import io.ably.api.ClientMetrics;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.auth.TokenDetails;
import java.time.Duration;

/** The MXBean over one client; stateless, reads the client's snapshot on every call. */
final class ClientBean implements RealtimeClientMXBean {
  private final RealtimeClient client;

  ClientBean(RealtimeClient client) {
    this.client = client;
  }

  private ClientMetrics m() {
    return client.metrics();
  }

  private static double millis(Duration d) {
    return d == null ? -1 : d.toNanos() / 1e6;
  }

  @Override
  public String getName() {
    return client.name();
  }

  @Override
  public String getState() {
    return client.connection().state().name();
  }

  @Override
  public String getConnectionId() {
    return client.connection().id();
  }

  @Override
  public String getClientId() {
    return client.auth().clientId();
  }

  @Override
  public String getTokenExpires() {
    TokenDetails d = client.auth().tokenDetails();
    return d == null || d.expires() == null ? null : d.expires().toString();
  }

  @Override
  public String getErrorReason() {
    ErrorInfo e = client.connection().errorReason();
    return e == null ? null : e.toString();
  }

  @Override
  public double getLastPingRttMillis() {
    return millis(m().lastPingRtt());
  }

  @Override
  public double getPingRttP50Millis() {
    return millis(m().pingRttP50());
  }

  @Override
  public double getPingRttP99Millis() {
    return millis(m().pingRttP99());
  }

  @Override
  public long getRestRequests() {
    return m().rest().requests();
  }

  @Override
  public long getRestFailures() {
    return m().rest().failures();
  }

  @Override
  public long getRestFallbacks() {
    return m().rest().fallbacks();
  }

  @Override
  public double getRestLatencyP50Millis() {
    return millis(m().rest().latencyP50());
  }

  @Override
  public double getRestLatencyP99Millis() {
    return millis(m().rest().latencyP99());
  }

  @Override
  public long getPings() {
    return m().pings();
  }

  @Override
  public long getFramesSent() {
    return m().framesSent();
  }

  @Override
  public long getFramesReceived() {
    return m().framesReceived();
  }

  @Override
  public long getBytesSent() {
    return m().bytesSent();
  }

  @Override
  public long getBytesReceived() {
    return m().bytesReceived();
  }

  @Override
  public long getReconnects() {
    return m().reconnects();
  }

  @Override
  public long getResumes() {
    return m().resumes();
  }

  @Override
  public long getFailedResumes() {
    return m().failedResumes();
  }

  @Override
  public long getListenerErrors() {
    return m().listenerErrors();
  }

  @Override
  public long getMessagesPublished() {
    return m().messagesPublished();
  }

  @Override
  public long getMessagesAcknowledged() {
    return m().messagesAcknowledged();
  }

  @Override
  public long getMessagesRefused() {
    return m().messagesRefused();
  }

  @Override
  public long getMessagesReceived() {
    return m().messagesReceived();
  }

  @Override
  public long getMessagesPending() {
    return m().messagesPending();
  }

  @Override
  public int getChannels() {
    return m().channels();
  }

  @Override
  public long getStoreFailures() {
    return m().storeFailures();
  }

  @Override
  public long getStoreWrites() {
    return m().storeWrites();
  }

  @Override
  public long getStoreLastWriteMillis() {
    java.time.Instant at = m().storeLastWrite();
    return at == null ? -1 : at.toEpochMilli();
  }

  @Override
  public void connect() {
    client.connection().connect();
  }

  @Override
  public void close() {
    client.connection().close();
  }

  @Override
  public void ping() {
    client.connection().ping();
  }
}
