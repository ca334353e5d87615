package io.ably.engine.internal.connection;

import java.util.Objects;

/**
 * What continuity a transport asks for when it connects: none, {@code resume} with the key of the
 * last CONNECTED (RTN15b1), or {@code recover} with the key from the recover option (RTN16k).
 */
public sealed interface ConnectKey {

  /**
   * Returns the query parameter that carries the key.
   *
   * @return {@code "resume"}, {@code "recover"}, or {@code null} for a clean connection
   */
  String paramName();

  /**
   * Returns the connection key to send.
   *
   * @return the key, or {@code null} for a clean connection
   */
  String connectionKey();

  /** A clean connection: no resume, no recover. */
  record Clean() implements ConnectKey {
    @Override
    public String paramName() {
      return null;
    }

    @Override
    public String connectionKey() {
      return null;
    }
  }

  /**
   * A resume of this client's previous connection (RTN15b1).
   *
   * @param connectionKey the key from the most recent CONNECTED
   */
  record Resume(String connectionKey) implements ConnectKey {
    /** Checks the key. */
    public Resume {
      Objects.requireNonNull(connectionKey, "connectionKey");
    }

    @Override
    public String paramName() {
      return "resume";
    }
  }

  /**
   * A recovery of another instance's connection, on the first connection only (RTN16k).
   *
   * @param connectionKey the key taken from the recovery key
   */
  record Recover(String connectionKey) implements ConnectKey {
    /** Checks the key. */
    public Recover {
      Objects.requireNonNull(connectionKey, "connectionKey");
    }

    @Override
    public String paramName() {
      return "recover";
    }
  }
}
