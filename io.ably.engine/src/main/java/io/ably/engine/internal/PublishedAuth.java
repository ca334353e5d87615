package io.ably.engine.internal;

import io.ably.api.auth.TokenDetails;

/**
 * One of the engine's declared cross-thread boundaries (named in ArchitectureTest): the client's
 * current token and identified clientId, published by the event loop whenever either changes, read
 * by {@code auth().tokenDetails()}, {@code auth().clientId()} and JMX from any thread. Single writer
 * (the client's loop), many readers.
 */
public final class PublishedAuth {
  /**
   * What a reader sees.
   *
   * @param tokenDetails the token in use, or {@code null} (basic auth, or none obtained yet)
   * @param clientId the identified clientId (RSA7, RSA12), or {@code null}
   */
  public record Snapshot(TokenDetails tokenDetails, String clientId) {
    /** Never shows the token. */
    @Override
    public String toString() {
      return "Auth[expires=" + (tokenDetails == null ? null : tokenDetails.expires()) + ", clientId="
          + clientId + "]";
    }
  }

  /** The latest snapshot; written by the loop only. */
  private volatile Snapshot snapshot;

  /**
   * Creates the published auth state of a client.
   *
   * @param initial the token and clientId the options give
   */
  public PublishedAuth(Snapshot initial) {
    this.snapshot = initial;
  }

  /**
   * Returns the latest snapshot. Any thread.
   *
   * @return the snapshot
   */
  public Snapshot get() {
    return snapshot;
  }

  /**
   * Publishes a new snapshot. Event loop only.
   *
   * @param next the snapshot
   */
  public void set(Snapshot next) {
    snapshot = next;
  }
}
