package io.ably.api;

/**
 * What {@link RealtimePresence#get(PresenceGetParams)} returns (RTP11): whether to wait for the
 * presence set to be synced, and filters by client id and connection id. Immutable; the {@code
 * with*} methods return copies.
 *
 * @since 0.1
 */
public final class PresenceGetParams {
  /** Wait for the sync, no filter: what {@link RealtimePresence#get()} uses. */
  public static final PresenceGetParams DEFAULT = new PresenceGetParams(true, null, null);

  private final boolean waitForSync;
  private final String clientId;
  private final String connectionId;

  private PresenceGetParams(boolean waitForSync, String clientId, String connectionId) {
    this.waitForSync = waitForSync;
    this.clientId = clientId;
    this.connectionId = connectionId;
  }

  /**
   * Returns a copy that waits, or not, for the presence set to be synced (RTP11c1).
   *
   * @param wait true (the default) to wait for the end of the sync
   * @return the copy
   */
  public PresenceGetParams waitForSync(boolean wait) {
    return new PresenceGetParams(wait, clientId, connectionId);
  }

  /**
   * Returns a copy that keeps only the members with this client id (RTP11c2).
   *
   * @param id the client id, or {@code null} for any
   * @return the copy
   */
  public PresenceGetParams clientId(String id) {
    return new PresenceGetParams(waitForSync, id, connectionId);
  }

  /**
   * Returns a copy that keeps only the members on this connection (RTP11c3).
   *
   * @param id the connection id, or {@code null} for any
   * @return the copy
   */
  public PresenceGetParams connectionId(String id) {
    return new PresenceGetParams(waitForSync, clientId, id);
  }

  /**
   * Returns whether {@code get} waits for the sync.
   *
   * @return true to wait
   */
  public boolean waitForSync() {
    return waitForSync;
  }

  /**
   * Returns the client id filter.
   *
   * @return the client id, or {@code null} for any
   */
  public String clientId() {
    return clientId;
  }

  /**
   * Returns the connection id filter.
   *
   * @return the connection id, or {@code null} for any
   */
  public String connectionId() {
    return connectionId;
  }

  @Override
  public String toString() {
    return "PresenceGetParams[waitForSync=" + waitForSync + ", clientId=" + clientId
        + ", connectionId=" + connectionId + "]";
  }
}
