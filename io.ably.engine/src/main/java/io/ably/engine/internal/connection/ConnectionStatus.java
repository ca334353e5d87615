package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import io.ably.wire.ConnectionDetails;
import java.util.List;
import java.util.Objects;

/**
 * The connection's state with the data that state needs (RTN27): a connected state carries its
 * connection id and key, a disconnected one its retry deadline. Immutable. Data that outlives
 * states (the resume key, timers) is in {@link ConnectionSession}.
 */
public sealed interface ConnectionStatus {

  /**
   * Returns the public state this status is.
   *
   * @return the state
   */
  ConnectionState state();

  /**
   * Returns the transport this status owns.
   *
   * @return the id of the transport, or 0 when no transport is open or opening
   */
  default long transportId() {
    return 0;
  }

  /** Never connected (RTN27a). */
  record Initialized() implements ConnectionStatus {
    @Override
    public ConnectionState state() {
      return ConnectionState.INITIALIZED;
    }
  }

  /**
   * Trying one host after another (RTN27b, RTN17): either a transport is opening
   * ({@code transportId != 0}) or the connectivity check before the fallbacks is running
   * ({@code checkId != 0}).
   *
   * @param host the host being tried, or the primary that failed while the check runs
   * @param onFallback whether {@code host} is a fallback host
   * @param fallbacksLeft fallback hosts not tried yet, in the (random) order they will be tried
   * @param transportId the opening transport, or 0 during the check
   * @param checkId the running connectivity check, or 0
   * @param tokenRenewed whether this attempt already renewed the token once (RTN14b, RTN15h2)
   * @param checkReason during the check: the failure of the primary, reported if the check fails
   * @param outage the disconnection this attempt is trying to end, or {@code null} if there is none
   *     (a first connect)
   */
  record Connecting(
      String host,
      boolean onFallback,
      List<String> fallbacksLeft,
      long transportId,
      long checkId,
      boolean tokenRenewed,
      ErrorInfo checkReason,
      Outage outage)
      implements ConnectionStatus {
    /** Checks that exactly one of a transport and a check is in progress. */
    public Connecting {
      Objects.requireNonNull(host, "host");
      fallbacksLeft = List.copyOf(fallbacksLeft);
      if ((transportId == 0) == (checkId == 0)) {
        throw new IllegalArgumentException(
            "exactly one of transportId and checkId must be set: " + transportId + ", " + checkId);
      }
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.CONNECTING;
    }

    /**
     * Tells whether the connectivity check runs (RTN17j).
     *
     * @return {@code true} while checking
     */
    public boolean checkingConnectivity() {
      return checkId != 0;
    }
  }

  /**
   * Connected (RTN27e).
   *
   * @param transportId the transport
   * @param connectionId the id from the latest CONNECTED
   * @param connectionKey the key from the latest CONNECTED (RTN15e), or {@code null}
   * @param details the details from the latest CONNECTED (RTN21), or {@code null}
   * @param host the host connected to; a fallback host is preferred for REST meanwhile (RTN17e)
   * @param sinceNanos when this transport's first CONNECTED arrived
   * @param recovering the outage this connection ended, or {@code null} after a first connect: if
   *     the connection is lost within a second of {@code sinceNanos}, that outage
   *     continues with backoff instead of an immediate resume
   */
  record Connected(
      long transportId,
      String connectionId,
      String connectionKey,
      ConnectionDetails details,
      String host,
      long sinceNanos,
      Outage recovering)
      implements ConnectionStatus {
    /** Checks the arguments. */
    public Connected {
      if (transportId == 0) {
        throw new IllegalArgumentException("transportId must be set");
      }
      Objects.requireNonNull(host, "host");
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.CONNECTED;
    }
  }

  /**
   * Waiting to retry (RTN27c, RTN14d).
   *
   * @param retryAtNanos when the RETRY timer fires
   * @param outage the disconnection so far
   */
  record Disconnected(long retryAtNanos, Outage outage) implements ConnectionStatus {
    /** Checks the arguments. */
    public Disconnected {
      Objects.requireNonNull(outage, "outage");
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.DISCONNECTED;
    }
  }

  /**
   * Disconnected for longer than connectionStateTtl; retrying every suspendedRetryTimeout (RTN27d,
   * RTN14e, RTN14f).
   *
   * @param retryAtNanos when the RETRY timer fires
   * @param outage the disconnection so far
   */
  record Suspended(long retryAtNanos, Outage outage) implements ConnectionStatus {
    /** Checks the arguments. */
    public Suspended {
      Objects.requireNonNull(outage, "outage");
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.SUSPENDED;
    }
  }

  /**
   * Closing (RTN27f): CLOSE was sent and CLOSED is awaited (RTN12a), or close was asked while a
   * transport was still opening, and CLOSE will be sent if it connects (RTN12f).
   *
   * @param transportId the transport
   * @param closeSent whether CLOSE was sent
   */
  record Closing(long transportId, boolean closeSent) implements ConnectionStatus {
    /** Checks the arguments. */
    public Closing {
      if (transportId == 0) {
        throw new IllegalArgumentException("transportId must be set");
      }
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.CLOSING;
    }
  }

  /** Closed by the user (RTN27g). */
  record Closed() implements ConnectionStatus {
    @Override
    public ConnectionState state() {
      return ConnectionState.CLOSED;
    }
  }

  /**
   * Failed until {@code connect()} (RTN27h).
   *
   * @param error the error that caused it
   */
  record Failed(ErrorInfo error) implements ConnectionStatus {
    /** Checks the arguments. */
    public Failed {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.FAILED;
    }
  }

  /**
   * A period without a connection, from the loss of a connection (or the first failed attempt)
   * until the next CONNECTED. Its length decides between DISCONNECTED and SUSPENDED (RTN14e), and
   * its retry count drives the backoff (RTB1).
   *
   * @param sinceNanos when it began
   * @param retryCount how many times it entered DISCONNECTED so far (RTB1's n)
   * @param ttlExpired whether connectionStateTtl passed since it began (the SUSPEND timer fired)
   */
  record Outage(long sinceNanos, int retryCount, boolean ttlExpired) {
    /** Checks the arguments. */
    public Outage {
      if (retryCount < 0) {
        throw new IllegalArgumentException("retryCount must not be negative: " + retryCount);
      }
    }
  }
}
